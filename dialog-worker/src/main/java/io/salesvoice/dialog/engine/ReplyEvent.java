package io.salesvoice.dialog.engine;

/** What an engine streams while it answers: sentences as soon as they are ready, then the whole turn. */
public sealed interface ReplyEvent {

  /**
   * A sentence to speak now. {@code turn} is set on the last sentence when the engine already knows the whole turn
   * (the script engine), so the last chunk carries the turn's action; a streaming engine leaves it null.
   */
  record Sentence(String text, Turn turn) implements ReplyEvent {
    public boolean last() {
      return turn != null;
    }
  }

  /** The turn is complete: its sentences were all streamed before this event. */
  record Done(Turn turn) implements ReplyEvent {
  }
}
