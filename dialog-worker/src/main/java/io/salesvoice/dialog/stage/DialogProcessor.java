package io.salesvoice.dialog.stage;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.salesvoice.dialog.engine.CallWrapUp;
import io.salesvoice.dialog.engine.Conversation;
import io.salesvoice.dialog.engine.DialogEngine;
import io.salesvoice.dialog.engine.ReplyEvent;
import io.salesvoice.dialog.engine.ScriptEngine;
import io.salesvoice.dialog.engine.Turn;
import io.salesvoice.dialog.nlu.Language;
import io.salesvoice.dialog.script.Action;
import io.salesvoice.dialog.script.SalesScript;
import io.salesvoice.platform.kafka.InboundRecord;
import io.salesvoice.platform.kafka.OutboundRecord;
import io.salesvoice.platform.logging.Redaction;
import io.salesvoice.schema.audio.Channel;
import io.salesvoice.schema.call.AnsweredBy;
import io.salesvoice.schema.call.BargeIn;
import io.salesvoice.schema.call.CallAnswered;
import io.salesvoice.schema.call.CallEnded;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.call.CallDirection;
import io.salesvoice.schema.call.CallStarted;
import io.salesvoice.schema.crm.CrmCommand;
import io.salesvoice.schema.dialog.DialogAction;
import io.salesvoice.schema.dialog.DialogTurn;
import io.salesvoice.schema.transcript.Transcript;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The dialog stage's logic: a call event or a final transcript in, the agent's turn (sentence by sentence), the CRM
 * commands it causes and the call's new state out, in that order. Plain code over the platform's record types, tested
 * without a broker.
 */
final class DialogProcessor {

  private static final Logger log = LoggerFactory.getLogger(DialogProcessor.class);
  /** Header that carries the knowledge-base source of a turn's answer, until DialogTurn has a field for it. */
  static final String KB_SOURCE_HEADER = "sva-kb-source";
  static final String WRAPPED = "_wrapped";
  static final String DIRECTION = "_direction";
  static final String STARTED_AT = "_startedAt";

  private final DialogEngine engine;
  private final ScriptEngine script;
  private final CallSessions sessions;
  private final DialogTopics topics;
  private final CrmCommands crm;
  private final Clock clock;
  private final Duration callStartWait;
  private final Timer firstChunk;

  DialogProcessor(DialogEngine engine, ScriptEngine script, CallSessions sessions, DialogTopics topics,
                  CrmCommands crm, MeterRegistry meters, Clock clock, Duration callStartWait) {
    this.engine = engine;
    this.script = script;
    this.sessions = sessions;
    this.topics = topics;
    this.crm = crm;
    this.clock = clock;
    this.callStartWait = callStartWait;
    this.firstChunk = Timer.builder("sva.dialog.first_chunk")
        .description("From a final transcript (or call start) to the first sentence of the agent's answer")
        .tag("engine", engine.name())
        .publishPercentiles(0.5, 0.99)
        .register(meters);
  }

  Publisher<OutboundRecord> process(InboundRecord<Object> record) {
    Object value = record.value();
    if (value instanceof Transcript t) {
      return onTranscript(record, t);
    }
    if (value instanceof CallEvent e) {
      return onCallEvent(record, e);
    }
    return Flux.error(new IllegalArgumentException("not a transcript nor a call event: " + value.getClass().getName()));
  }

  // --- call events -------------------------------------------------------------------------------------------------

  private Flux<OutboundRecord> onCallEvent(InboundRecord<Object> r, CallEvent e) {
    Object event = e.getEvent();
    if (event instanceof CallStarted s) {
      return onCallStarted(r, e, s);
    }
    String callId = e.getCallId();
    if (event instanceof BargeIn) {
      sessions.get(callId).ifPresent(s -> {
        if (s.bargeIn()) {
          log.debug("Call {}: barge-in cancelled the turn in flight", callId);
        }
      });
      return Flux.empty();
    }
    if (event instanceof CallAnswered a && a.getAnsweredBy() == AnsweredBy.MACHINE) {
      return sessions.get(callId)
          .map(s -> s.inOrder(() -> answer(s, r, e.getEventId(), null, script.jump(s.conversation, "voicemail"))))
          .orElse(Flux.empty());
    }
    if (event instanceof CallEnded ended) {
      return onCallEnded(r, e, ended);
    }
    return Flux.empty();   // answered by a human, DTMF: nothing to say
  }

  private Flux<OutboundRecord> onCallStarted(InboundRecord<Object> r, CallEvent e, CallStarted s) {
    String callId = e.getCallId();
    if (sessions.isEnded(callId)) {
      return Flux.empty();
    }
    if (s.getDirection() == CallDirection.REPLAY) {
      // A recorded call replayed for QA is transcribed and scored, not talked to: no turns, no CRM writes.
      log.info("Call {} is a replay: not answered", callId);
      sessions.end(callId, r.partition());
      return Flux.empty();
    }
    Language language = Language.of(s.getLanguage());
    Map<String, String> variables = new HashMap<>();
    s.getParameters().forEach((k, v) -> variables.put(k, v));
    for (String alias : List.of("leadName", "lead_name", "firstName", "first_name", "customerName")) {
      if (!variables.containsKey("name") && variables.containsKey(alias)) {
        variables.put("name", variables.get(alias));
      }
    }
    variables.put(DIRECTION, s.getDirection().name());
    variables.put(STARTED_AT, String.valueOf(e.getOccurredAt().toEpochMilli()));
    Conversation probe = new Conversation(callId, e.getCampaignId(), s.getScriptId(), language, "", Map.of(), variables,
        0, 0, false, List.of());
    SalesScript chosen = script.script(probe);
    Conversation start = new Conversation(callId, e.getCampaignId(), chosen.id(), language, chosen.start(), Map.of(),
        variables, 0, 0, false, List.of());
    CallSession fresh = new CallSession(r.partition(), start, s.getPhoneNumber(), s.getReplyPartition(), null);
    // The greeting takes the first place in the call's queue before the session is visible to its transcripts.
    List<OutboundRecord> register = new ArrayList<>();
    Flux<OutboundRecord> greeting = fresh.inOrder(() -> answer(fresh, r, e.getEventId(), null,
        ScriptEngine.stream(script.start(start)), register));
    CallSession session = sessions.computeIfAbsent(callId, id -> fresh);
    if (session != fresh) {
      return replay(session, e.getEventId(), r);   // a redelivered CallStarted: the call is already going
    }
    log.info("Call {} started ({}, {}, script {}, phone {})", callId, s.getDirection(), language.tag(), chosen.id(),
        Redaction.maskPhone(s.getPhoneNumber()));
    if (s.getPhoneNumber() != null) {
      register.add(crmRecord(crm.register(start, s.getPhoneNumber(), s.getDirection(), e.getOccurredAt())));
    }
    return greeting;
  }

  private Flux<OutboundRecord> onCallEnded(InboundRecord<Object> r, CallEvent e, CallEnded ended) {
    String callId = e.getCallId();
    return sessions.get(callId).map(s -> {
      // A turn still in flight is not cancelled: it may be the ending that books the meeting; its commit writes the
      // follow-up, and the lead and summary it repeats carry the same idempotency keys.
      synchronized (s.lock) {
        if (s.answered(e.getEventId())) {
          return replay(s, e.getEventId(), r);
        }
        Conversation c = s.conversation;
        List<OutboundRecord> out = new ArrayList<>();
        if (!c.variables().containsKey(WRAPPED) && s.phoneNumber != null) {
          SalesScript sc = script.script(c);
          crm.wrapUp(c, s.phoneNumber, CallWrapUp.of(sc, c, ended.getReason().name())).forEach(cmd -> out.add(crmRecord(cmd)));
        }
        SalesScript sc = script.script(c);
        out.add(crmRecord(crm.finish(c, ended, CallWrapUp.of(sc, c, null).status())));
        Map<String, String> vars = new HashMap<>(c.variables());
        vars.put(WRAPPED, "true");
        s.conversation = c.withVariables(vars).withState(c.state(), true);
        s.markAnswered(e.getEventId());
        out.add(stateRecord(s));
        s.lastOutputs = List.copyOf(out);
        s.lastOutputsFor = position(r);
        sessions.end(callId, s.partition);
        log.info("Call {} ended ({}, {} s)", callId, ended.getReason(), ended.getDurationMs() / 1000);
        return Flux.fromIterable(out);
      }
    }).orElse(Flux.empty());
  }

  // --- transcripts -------------------------------------------------------------------------------------------------

  private Flux<OutboundRecord> onTranscript(InboundRecord<Object> r, Transcript t) {
    if (!t.getIsFinal() || t.getChannel() == Channel.AGENT || t.getText().isBlank()) {
      return Flux.empty();   // partials: barge-in comes as a call event; the agent's own channel is not answered
    }
    String callId = t.getCallId();
    if (sessions.isEnded(callId)) {
      return Flux.empty();
    }
    return awaitSession(callId)
        .switchIfEmpty(Mono.fromSupplier(() -> sessions.computeIfAbsent(callId, id -> unannouncedCall(r, t))))
        .flatMapMany(s -> s.inOrder(() -> {
          synchronized (s.lock) {
            if (s.answered(t.getUtteranceId())) {
              return replay(s, t.getUtteranceId(), r);
            }
            if (s.conversation.ended()) {
              return Flux.<OutboundRecord>empty();
            }
          }
          return answer(s, r, t.getUtteranceId(), t.getUtteranceId(), engine.reply(s.conversation, t.getText()));
        }));
  }

  /** The call's session; a transcript may overtake its CallStarted (another topic), so wait for it a little. */
  private Mono<CallSession> awaitSession(String callId) {
    long polls = Math.max(1, callStartWait.toMillis() / 20);
    return Mono.defer(() -> Mono.justOrEmpty(sessions.get(callId)))
        .repeatWhenEmpty(n -> n.take(polls).delayElements(Duration.ofMillis(20)));
  }

  /** A transcript for a call whose start was never seen: answer it from the script's start, in its language. */
  private CallSession unannouncedCall(InboundRecord<Object> r, Transcript t) {
    log.warn("Call {}: transcript without CallStarted; answering from the start of the default script", t.getCallId());
    Conversation probe = new Conversation(t.getCallId(), null, null, Language.of(t.getLanguage()), "", Map.of(),
        Map.of(), 0, 0, false, List.of());
    SalesScript sc = script.script(probe);
    Conversation c = new Conversation(t.getCallId(), null, sc.id(), probe.language(), sc.start(), Map.of(), Map.of(),
        0, 0, false, List.of());
    return new CallSession(r.partition(), c, null, -1, null);
  }

  private Flux<OutboundRecord> replay(CallSession s, String inputId, InboundRecord<Object> r) {
    synchronized (s.lock) {
      if (inputId.equals(s.lastInputId) && s.lastOutputs != null && position(r).equals(s.lastOutputsFor)) {
        return Flux.fromIterable(s.lastOutputs);   // the stage retries a record whose writes failed: same records
      }
      return Flux.empty();                         // a redelivery of what is already answered
    }
  }

  // --- turns -------------------------------------------------------------------------------------------------------

  private Flux<OutboundRecord> answer(CallSession s, InboundRecord<Object> r, String inputId, String inReplyTo,
                                      Flux<ReplyEvent> events) {
    return answer(s, r, inputId, inReplyTo, events, List.of());
  }

  /**
   * Streams the engine's sentences as turn chunks, then — once the turn is complete — the CRM commands it causes and
   * the call's new state. {@code before} (e.g. RegisterCall) goes out after the first chunk: speech first.
   */
  private Flux<OutboundRecord> answer(CallSession s, InboundRecord<Object> r, String inputId, String inReplyTo,
                                      Flux<ReplyEvent> events, List<OutboundRecord> before) {
    Conversation at = s.conversation;
    TurnChunks chunks = new TurnChunks(s, at, at.callId() + ":t" + at.turnCount(), inReplyTo);
    List<OutboundRecord> written = new ArrayList<>();
    long started = System.nanoTime();
    Mono<Void> bargeIn = s.startTurn();
    Flux<OutboundRecord> turn = events
        .takeUntilOther(bargeIn)
        .concatMapIterable(ev -> {
          List<OutboundRecord> out = new ArrayList<>();
          if (ev instanceof ReplyEvent.Sentence sentence) {
            out.add(chunks.sentence(sentence));
            if (chunks.count() == 1) {
              firstChunk.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
              out.addAll(before);
            }
          } else if (ev instanceof ReplyEvent.Done done) {
            chunks.close(done.turn()).ifPresent(out::add);
            if (chunks.count() == 0) {
              out.addAll(before);
            }
            out.addAll(commit(s, inputId, done.turn()));
          }
          return out;
        })
        .concatWith(Flux.defer(() -> chunks.done()
            ? Flux.empty()
            : Flux.fromIterable(interrupted(s, inputId, chunks, before))))
        .doOnNext(written::add)
        .doOnComplete(() -> {
          synchronized (s.lock) {
            if (inputId.equals(s.lastInputId)) {
              s.lastOutputs = List.copyOf(written);
              s.lastOutputsFor = position(r);
            }
          }
        })
        .doFinally(signal -> s.endTurn());
    return turn;
  }

  /** The turn is complete: the session moves on; an ending writes the call's CRM wrap-up. */
  private List<OutboundRecord> commit(CallSession s, String inputId, Turn turn) {
    synchronized (s.lock) {
      List<OutboundRecord> out = new ArrayList<>();
      Conversation next = turn.next();
      if (next.ended() && !next.variables().containsKey(WRAPPED)) {
        if (s.phoneNumber != null) {
          SalesScript sc = script.script(next);
          crm.wrapUp(next, s.phoneNumber, CallWrapUp.of(sc, next, null)).forEach(cmd -> out.add(crmRecord(cmd)));
        }
        Map<String, String> vars = new HashMap<>(next.variables());
        vars.put(WRAPPED, "true");
        next = next.withVariables(vars);
      }
      s.conversation = next;
      s.markAnswered(inputId);
      s.lastOutputs = null;
      out.add(stateRecord(s));
      return out;
    }
  }

  /** The customer barged in before the engine finished: close the turn, remember the utterance was answered. */
  private List<OutboundRecord> interrupted(CallSession s, String inputId, TurnChunks chunks,
                                           List<OutboundRecord> before) {
    List<OutboundRecord> out = new ArrayList<>();
    if (chunks.count() == 0) {
      out.addAll(before);
    }
    out.add(chunks.interrupted());
    synchronized (s.lock) {
      s.conversation = s.conversation.after(null, chunks.spoken() + " …");
      s.markAnswered(inputId);
      out.add(stateRecord(s));
    }
    return out;
  }

  /**
   * What the customer may answer in the state the call is in after the turn, for the speech recognizer (stt-worker
   * reads the turn's last chunk); nothing once the call has ended.
   */
  private List<String> expectedAnswers(Conversation state) {
    if (state.ended()) {
      return List.of();
    }
    return script.script(state).expectedAnswers(state.state());
  }

  private static String position(InboundRecord<?> r) {
    return r.topic() + "-" + r.partition() + "@" + r.offset();
  }

  private OutboundRecord stateRecord(CallSession s) {
    return OutboundRecord.of(topics.state(), s.conversation.callId(), DialogStates.toRecord(s, clock.instant()));
  }

  private OutboundRecord crmRecord(CrmCommand command) {
    return OutboundRecord.of(topics.crmCommands(), command.getCallId(), command);
  }

  /** Numbers the chunks of one turn and marks the last. */
  private final class TurnChunks {
    private final CallSession session;
    private final Conversation before;
    private final String turnId;
    private final String inReplyTo;
    private final StringBuilder spoken = new StringBuilder();
    private int index;
    private boolean closed;

    TurnChunks(CallSession session, Conversation before, String turnId, String inReplyTo) {
      this.session = session;
      this.before = before;
      this.turnId = turnId;
      this.inReplyTo = inReplyTo;
    }

    int count() {
      return index;
    }

    boolean done() {
      return closed;
    }

    String spoken() {
      return spoken.toString().trim();
    }

    OutboundRecord sentence(ReplyEvent.Sentence s) {
      spoken.append(s.text()).append(' ');
      if (s.last()) {
        closed = true;
        return chunk(s.text(), true, s.turn());
      }
      return chunk(s.text(), false, null);
    }

    /** The closing chunk of a streamed turn (empty text), unless its last sentence already closed it. */
    java.util.Optional<OutboundRecord> close(Turn turn) {
      if (closed) {
        return java.util.Optional.empty();
      }
      closed = true;
      if (index == 0 && turn.sentences().isEmpty() && turn.action() == Action.SPEAK) {
        return java.util.Optional.empty();   // nothing to say, e.g. the call had already ended
      }
      return java.util.Optional.of(chunk("", true, turn));
    }

    OutboundRecord interrupted() {
      closed = true;
      return chunk("", true, null);
    }

    private OutboundRecord chunk(String text, boolean last, Turn turn) {
      Conversation state = turn != null ? turn.next() : before;
      DialogTurn t = DialogTurn.newBuilder()
          .setCallId(before.callId())
          .setTurnId(turnId)
          .setChunkIndex(index++)
          .setText(text)
          .setLastChunk(last)
          .setAction(turn == null ? DialogAction.SPEAK : DialogAction.valueOf(turn.action().name()))
          .setState(state.state())
          .setIntent(turn == null ? null : turn.intent())
          .setSlots(new HashMap<>(state.slots()))
          .setLanguage(before.language().tag())
          .setEngine(turn != null && turn.fallback() ? ScriptEngine.NAME : engine.name())
          .setInReplyTo(inReplyTo)
          .setReplyPartition(session.replyPartition)
          .setExpectedPhrases(last ? expectedAnswers(state) : List.of())
          .setProducedAt(clock.instant())
          .build();
      OutboundRecord record = OutboundRecord.of(topics.turns(), before.callId(), t);
      if (turn != null && turn.source() != null) {
        record = record.withHeader(KB_SOURCE_HEADER, turn.source().getBytes(StandardCharsets.UTF_8));
      }
      return record;
    }
  }
}
