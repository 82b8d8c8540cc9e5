package io.salesvoice.dialog.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.salesvoice.dialog.engine.Conversation;
import io.salesvoice.dialog.engine.DialogEngine;
import io.salesvoice.dialog.engine.ReplyEvent;
import io.salesvoice.dialog.engine.ScriptEngine;
import io.salesvoice.dialog.script.ScriptCatalog;
import io.salesvoice.dialog.support.Records;
import io.salesvoice.dialog.support.TestKnowledge;
import io.salesvoice.platform.kafka.InboundRecord;
import io.salesvoice.platform.kafka.OutboundRecord;
import io.salesvoice.platform.trace.TraceContext;
import io.salesvoice.schema.call.BargeIn;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.dialog.DialogState;
import io.salesvoice.schema.dialog.DialogTurn;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/** The stage's logic without a broker: barge-in, retries and redeliveries. */
class DialogProcessorTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T07:00:00Z"), ZoneId.of("Europe/Moscow"));
  private static final DialogTopics TOPICS = new DialogTopics("t", "c", "turns", "crm", "state");
  private final ScriptEngine script = new ScriptEngine(ScriptCatalog.builtIn(), TestKnowledge.shipped(), CLOCK);
  private long offset;

  private DialogProcessor processor(DialogEngine engine) {
    return new DialogProcessor(engine, script, new CallSessions(), TOPICS, new CrmCommands(CLOCK.getZone()),
        new SimpleMeterRegistry(), CLOCK, Duration.ofMillis(100));
  }

  private InboundRecord<Object> in(String topic, String key, Object value, long at) {
    return new InboundRecord<>(topic, 0, at, key, value, new RecordHeaders(), 0L, TraceContext.newTrace());
  }

  private InboundRecord<Object> next(String topic, String key, Object value) {
    return in(topic, key, value, offset++);
  }

  private static List<OutboundRecord> run(DialogProcessor p, InboundRecord<Object> r) {
    return Flux.from(p.process(r)).collectList().block(Duration.ofSeconds(10));
  }

  private static List<DialogTurn> turns(List<OutboundRecord> out) {
    return out.stream().map(OutboundRecord::value).filter(DialogTurn.class::isInstance).map(DialogTurn.class::cast).toList();
  }

  @Test
  void bargeInCancelsTheTurnInFlight() throws Exception {
    DialogEngine slow = new DialogEngine() {
      @Override
      public String name() {
        return "slow";
      }

      @Override
      public Flux<ReplyEvent> open(Conversation c) {
        return script.open(c);
      }

      @Override
      public Flux<ReplyEvent> reply(Conversation c, String utterance) {
        return Flux.concat(Flux.just(new ReplyEvent.Sentence("First sentence.", null)), Flux.never());
      }

      @Override
      public Flux<ReplyEvent> jump(Conversation c, String role) {
        return script.jump(c, role);
      }
    };
    DialogProcessor p = processor(slow);
    run(p, next("c", "call-1", Records.started("call-1", "en-US", "+14155552671", 3, Map.of())));
    var pending = Flux.from(p.process(next("t", "call-1", Records.said("call-1", "u1", "tell me more", "en-US"))))
        .collectList().toFuture();
    Thread.sleep(300);
    assertThat(pending).isNotDone();
    CallEvent barge = CallEvent.newBuilder().setCallId("call-1").setEventId("b1").setOccurredAt(Instant.now())
        .setEvent(BargeIn.newBuilder().setTurnId("call-1:t1").setMediaTimeMs(1000).setPlayedMs(400).build()).build();
    assertThat(run(p, next("c", "call-1", barge))).isEmpty();
    List<OutboundRecord> out = pending.get(5, java.util.concurrent.TimeUnit.SECONDS);
    List<DialogTurn> chunks = turns(out);
    assertThat(chunks).extracting(t -> t.getText().toString()).containsExactly("First sentence.", "");
    assertThat(chunks.get(1).getLastChunk()).isTrue();
    DialogState state = (DialogState) out.get(out.size() - 1).value();
    assertThat(state.getLastUtteranceId()).isEqualTo("u1");
  }

  @Test
  void aTranscriptHandedOverWhileTheGreetingIsStillBeingWrittenIsAnsweredAfterIt() {
    // CallStarted and the first transcript come from two topics: the stage may run both at once, in either order.
    DialogProcessor p = processor(script);
    var greeting = Flux.from(p.process(next("c", "call-5", Records.started("call-5", "en-US", "+14155552671", 3,
        Map.of("name", "John")))));
    var answer = Flux.from(p.process(next("t", "call-5", Records.said("call-5", "u1", "yes, sure", "en-US"))))
        .collectList().toFuture();
    List<OutboundRecord> greeted = greeting.collectList().block(Duration.ofSeconds(10));
    List<OutboundRecord> answered = answer.join();
    assertThat(turns(greeted)).extracting(t -> t.getTurnId().toString()).containsOnly("call-5:t0");
    assertThat(turns(answered)).extracting(t -> t.getTurnId().toString()).containsOnly("call-5:t1");
    assertThat(turns(answered).get(0).getInReplyTo()).isEqualTo("u1");
  }

  @Test
  void aRetryOfTheSameRecordResendsTheSameOutputsButARedeliveryIsSkipped() {
    DialogProcessor p = processor(script);
    run(p, next("c", "call-2", Records.started("call-2", "ru-RU", "+79991234567", 1, Map.of())));
    InboundRecord<Object> yes = next("t", "call-2", Records.said("call-2", "u1", "да", "ru-RU"));
    List<OutboundRecord> first = run(p, yes);
    assertThat(turns(first)).isNotEmpty();
    List<OutboundRecord> retry = run(p, in("t", "call-2", yes.value(), yes.offset()));
    assertThat(retry).extracting(OutboundRecord::value).containsExactlyElementsOf(
        first.stream().map(OutboundRecord::value).toList());
    List<OutboundRecord> redelivered = run(p, next("t", "call-2", Records.said("call-2", "u1", "да", "ru-RU")));
    assertThat(redelivered).isEmpty();
  }

  @Test
  void theLastChunkOfATurnSaysWhatTheCustomerIsExpectedToAnswerNext() {
    DialogProcessor p = processor(script);
    List<DialogTurn> greeting = turns(run(p, next("c", "call-6", Records.started("call-6", "ru-RU", "+79991234567", 1,
        Map.of()))));
    DialogTurn last = greeting.get(greeting.size() - 1);
    assertThat(last.getLastChunk()).isTrue();
    assertThat(last.getState()).isEqualTo("greeting");
    assertThat(last.getExpectedPhrases()).contains("да", "перезвоните позже", "не интересно", "сколько стоит");
    assertThat(greeting.subList(0, greeting.size() - 1)).allSatisfy(t -> assertThat(t.getExpectedPhrases()).isEmpty());

    List<DialogTurn> callback = turns(run(p, next("t", "call-6", Records.said("call-6", "u1", "перезвоните позже",
        "ru-RU"))));
    DialogTurn after = callback.get(callback.size() - 1);
    assertThat(after.getState()).isEqualTo("callback");
    assertThat(after.getExpectedPhrases()).contains("завтра в три").doesNotContain("да");

    List<DialogTurn> ending = turns(run(p, next("t", "call-6", Records.said("call-6", "u2", "не звоните мне больше",
        "ru-RU"))));
    assertThat(ending.get(ending.size() - 1).getExpectedPhrases()).isEmpty();
  }

  @Test
  void aTranscriptWithoutCallStartIsAnsweredFromTheDefaultScript() {
    DialogProcessor p = processor(script);
    List<OutboundRecord> out = run(p, next("t", "call-3", Records.said("call-3", "u1", "yes", "en-US")));
    List<DialogTurn> chunks = turns(out);
    assertThat(chunks).isNotEmpty();
    assertThat(chunks.get(chunks.size() - 1).getState()).isEqualTo("qualification");
    assertThat(chunks.get(chunks.size() - 1).getLastChunk()).isTrue();
  }

  @Test
  void aReplayedRecordingIsNotAnsweredAndWritesNothingToTheCrm() {
    DialogProcessor p = processor(script);
    CallEvent replay = Records.started("call-4", "en-US", "+15550001111", 1, Map.of());
    ((io.salesvoice.schema.call.CallStarted) replay.getEvent()).setDirection(io.salesvoice.schema.call.CallDirection.REPLAY);

    assertThat(run(p, next("c", "call-4", replay))).isEmpty();
    assertThat(run(p, next("t", "call-4", Records.said("call-4", "u1", "yes, book a meeting", "en-US")))).isEmpty();
    assertThat(run(p, next("c", "call-4", Records.ended("call-4", io.salesvoice.schema.call.CallEndReason.REPLAY_FINISHED,
        5_000)))).isEmpty();
  }
}
