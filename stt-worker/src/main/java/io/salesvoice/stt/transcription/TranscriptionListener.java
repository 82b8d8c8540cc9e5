package io.salesvoice.stt.transcription;

import java.time.Duration;

/** What the transcriber reports for metrics, so the domain code needs no metrics library. */
public interface TranscriptionListener {

  TranscriptionListener NONE = new TranscriptionListener() {
  };

  /** A final transcript was ready {@code latency} after the end of the turn was detected. */
  default void finalTranscript(String engine, Duration latency) {
  }

  /** The engine failed on an utterance. */
  default void engineError(String engine, Throwable error) {
  }

  /** A chunk was dropped as a redelivery (its seq was already transcribed). */
  default void duplicateChunk() {
  }

  /** A chunk of a call that had already ended and been forgotten was dropped. */
  default void lateChunk() {
  }
}
