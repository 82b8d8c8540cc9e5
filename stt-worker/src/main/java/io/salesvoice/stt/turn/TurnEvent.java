package io.salesvoice.stt.turn;

/** What the end-of-turn detector decided after a frame: an utterance started or ended. */
public sealed interface TurnEvent {

  /** Speech lasted long enough: an utterance began at {@code startMs} (media time of its first speech frame). */
  record Started(long startMs) implements TurnEvent {
  }

  /** The utterance that began at {@code startMs} ended; {@code endMs} is the end of its last speech frame. */
  record Ended(long startMs, long endMs, Reason reason) implements TurnEvent {
  }

  /** Why an utterance ended. */
  enum Reason {
    /** The speaker paused for the end-of-turn silence. */
    SILENCE,
    /** The utterance reached the maximum length and was cut. */
    MAX_LENGTH,
    /** The stream ended (call ended, idle) while the speaker was talking. */
    FLUSH
  }
}
