package io.salesvoice.dialog.engine;

import reactor.core.publisher.Flux;

/**
 * The port every dialog engine implements: the embedded script engine (default) or the LLM. Selected by
 * {@code sva.dialog.engine}. Each flux ends with exactly one {@link ReplyEvent.Done}.
 */
public interface DialogEngine {

  /** Low-cardinality name for metrics and the turn's {@code engine} field. */
  String name();

  /** The agent's opening line when the call starts. */
  Flux<ReplyEvent> open(Conversation conversation);

  /** The agent's answer to what the customer just said. */
  Flux<ReplyEvent> reply(Conversation conversation, String utterance);

  /** Moves the call to an outcome role of the script (e.g. {@code voicemail}) and says its line. */
  Flux<ReplyEvent> jump(Conversation conversation, String role);
}
