package io.salesvoice.tts.engine;

import io.salesvoice.tts.audio.PcmBlock;
import reactor.core.publisher.Flux;

/**
 * The text-to-speech port: one engine behind it, chosen by {@code sva.tts.engine}. Engines stream, so the first words
 * can be on their way to the caller while the rest of the sentence is still being synthesized.
 */
public interface TextToSpeech extends AutoCloseable {

  /** Short engine name for metrics and logs: {@code espeak}, {@code freetts}, {@code festival}, {@code openai}. */
  String name();

  /**
   * The speech of {@code request} as 16-bit mono PCM blocks, in order, as soon as the engine has them. Nothing happens
   * until subscription; cancelling stops the engine's work. Blocking engines run on their own bounded scheduler, never
   * on the subscriber's thread. Fails with {@link SpeechSynthesisException} when the engine cannot speak the text, and
   * with an {@link java.io.IOException} in the cause chain when a remote engine cannot be reached (worth a retry).
   */
  Flux<PcmBlock> synthesize(SpeechRequest request);

  /** Releases processes, threads and connections. */
  @Override
  default void close() {
  }
}
