package io.salesvoice.stt.engine;

import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * Port to a speech recognizer. The worker decides where utterances begin and end (its own voice activity and
 * end-of-turn detection, the same for every engine), so an engine sees one {@link Session} per utterance: audio
 * streamed in while the customer speaks, partial hypotheses where the engine has them, one final hypothesis.
 */
public interface SpeechToText extends AutoCloseable {

  /** Name written to transcripts and metric tags, e.g. {@code sphinx4}. */
  String name();

  /** Sample rate, in Hz, of the 16-bit mono audio that sessions accept. */
  int sampleRate();

  /** Starts recognizing one utterance in {@code language} (BCP 47, e.g. {@code en-US}). Must not block. */
  Session open(String language);

  /**
   * Starts recognizing one utterance that is likely one of {@code expectedPhrases} (what the dialog's current state
   * expects the customer to answer; empty when it expects nothing in particular). Engines that can constrain
   * recognition to phrases try those first; the others ignore them.
   */
  default Session open(String language, List<String> expectedPhrases) {
    return open(language);
  }

  /** Releases models, processes and threads. */
  @Override
  void close();

  /** One utterance being recognized. Methods are called from one thread at a time, in order. */
  interface Session {

    /** Appends audio. Must not block: engines buffer and decode on their own scheduler. */
    void accept(short[] samples);

    /** The latest partial hypothesis, if the engine produced one; never blocks. */
    default Optional<String> partial() {
      return Optional.empty();
    }

    /**
     * No more audio: the final hypothesis. Re-subscribing after an error tries again where the engine can (a cloud
     * request), so a transient failure retried by the stage does not lose the utterance.
     */
    Mono<Hypothesis> finish();

    /** Abandons the utterance and frees what it holds. */
    void cancel();
  }

  /**
   * A recognized text with the engine's confidence in it.
   *
   * @param confidence 0..1; 1 where the engine gives no score
   */
  record Hypothesis(String text, float confidence) {

    public Hypothesis {
      text = text == null ? "" : text.strip();
      if (!(confidence >= 0 && confidence <= 1)) {
        throw new IllegalArgumentException("confidence must be within 0..1: " + confidence);
      }
    }
  }
}
