package io.salesvoice.dialog.engine;

/** What an engine streams while it answers: sentences as soon as they are ready, then the whole turn. */
public sealed interface ReplyEvent {

  /** A sentence to speak now; {@code last} when the engine knows no sentence follows. */
  record Sentence(String text, boolean last) implements ReplyEvent {
  }

  /** The turn is complete: its sentences were all streamed before this event. */
  record Done(Turn turn) implements ReplyEvent {
  }
}
