package io.salesvoice.dialog.stage;

import io.salesvoice.dialog.engine.Conversation;
import io.salesvoice.platform.kafka.OutboundRecord;
import java.util.List;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One live call on this instance: its conversation, the last input answered (so a redelivery is not answered twice),
 * and the turn being spoken (so a barge-in can cancel it). Mutated only under {@link #lock}.
 */
final class CallSession {

  final Object lock = new Object();
  final int partition;
  Conversation conversation;
  String phoneNumber;
  int replyPartition;
  /** The utterance id or event id last answered. */
  String lastInputId;
  /**
   * The outputs written for {@link #lastInputId} by this instance: when the stage retries a record whose outputs could
   * not all be written, the same records go out again (same turn ids and idempotency keys) instead of nothing.
   */
  List<OutboundRecord> lastOutputs;
  /** The input record (topic-partition@offset) {@link #lastOutputs} answer: only a retry of that very record replays. */
  String lastOutputsFor;
  private Sinks.Empty<Void> inFlight;
  /** Completes when the last input queued for this call has been answered; the next one waits for it. */
  private Mono<Void> tail = Mono.empty();

  CallSession(int partition, Conversation conversation, String phoneNumber, int replyPartition, String lastInputId) {
    this.partition = partition;
    this.conversation = conversation;
    this.phoneNumber = phoneNumber;
    this.replyPartition = replyPartition;
    this.lastInputId = lastInputId;
  }

  /** Inputs (utterance and event ids) answered lately, newest last; kept in the state so redeliveries are skipped. */
  static final String RECENT = "_recent";
  private static final int RECENT_MAX = 32;

  /** True when this utterance or event was already answered (the last one or one of the recent ones). */
  boolean answered(String inputId) {
    if (inputId.equals(lastInputId)) {
      return true;
    }
    String recent = conversation.variables().get(RECENT);
    return recent != null && java.util.Arrays.asList(recent.split(",")).contains(inputId);
  }

  /** Records {@code inputId} as answered, in the conversation's variables. */
  void markAnswered(String inputId) {
    lastInputId = inputId;
    java.util.Map<String, String> vars = new java.util.HashMap<>(conversation.variables());
    java.util.List<String> ids = new java.util.ArrayList<>();
    if (vars.get(RECENT) != null && !vars.get(RECENT).isEmpty()) {
      ids.addAll(java.util.Arrays.asList(vars.get(RECENT).split(",")));
    }
    ids.remove(inputId);
    ids.add(inputId);
    while (ids.size() > RECENT_MAX) {
      ids.remove(0);
    }
    vars.put(RECENT, String.join(",", ids));
    conversation = conversation.withVariables(vars);
  }

  /**
   * Runs {@code work} after every input queued before it for this call has been answered. The call's events and its
   * transcripts come from two topics, so the stage may hand both over at once: without this, a transcript could be
   * answered from the state the greeting is still leaving and both would be numbered as the same turn. The place in
   * the queue is taken now; the work runs when the returned flux is subscribed and its turn comes.
   */
  <T> Flux<T> inOrder(Supplier<? extends Publisher<T>> work) {
    Sinks.Empty<Void> done = Sinks.empty();
    Mono<Void> previous;
    synchronized (lock) {
      previous = tail;
      tail = done.asMono();
    }
    return previous.thenMany(Flux.defer(work))
        .doFinally(signal -> done.tryEmitEmpty());
  }

  /** A signal that fires when the customer barges in on the turn now being produced. */
  Mono<Void> startTurn() {
    synchronized (lock) {
      inFlight = Sinks.empty();
      return inFlight.asMono();
    }
  }

  /** Cancels the turn in flight, if any; true when there was one. */
  boolean bargeIn() {
    synchronized (lock) {
      if (inFlight == null) {
        return false;
      }
      inFlight.tryEmitEmpty();
      inFlight = null;
      return true;
    }
  }

  void endTurn() {
    synchronized (lock) {
      inFlight = null;
    }
  }
}
