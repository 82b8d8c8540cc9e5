package io.salesvoice.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.platform.trace.TraceContext;
import io.salesvoice.schema.deadletter.DeadLetter;
import io.salesvoice.schema.transcript.Transcript;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** The processing rules, against the real broker and registry. */
@ExtendWith(LocalStackExtension.class)
class StageTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final KafkaStack stack;
  private StackClients clients;
  private RecordSender sender;
  private final List<Disposable> running = new CopyOnWriteArrayList<>();

  StageTest(KafkaStack stack) {
    this.stack = stack;
  }

  @BeforeEach
  void connect() {
    clients = new StackClients(stack);
    sender = RecordSender.create(clients.settings());
  }

  @AfterEach
  void disconnect() {
    running.forEach(Disposable::dispose);
    sender.close();
    clients.close();
  }

  @Test
  void forwardsOutputsWithTheKeyAndContinuesTheTrace() {
    String in = clients.createTopicWithDeadLetters("stage-in", 2);
    String out = clients.createTopicWithDeadLetters("stage-out", 2);
    start(upperCasing("forward", in, out));

    TraceContext trace = TraceContext.newTrace();
    RecordHeaders headers = new RecordHeaders();
    trace.writeTo(headers);
    clients.sendWithHeaders(new ProducerRecord<>(in, null, "call-1", transcript("call-1", "hello"), headers));

    List<ConsumerRecord<String, Object>> records = clients.read(out, 1, WAIT);
    assertThat(records).hasSize(1);
    ConsumerRecord<String, Object> record = records.get(0);
    assertThat(record.key()).isEqualTo("call-1");
    assertThat(((Transcript) record.value()).getText()).isEqualTo("HELLO");
    TraceContext continued = TraceContext.from(record.headers()).orElseThrow();
    assertThat(continued.traceId()).isEqualTo(trace.traceId());
    assertThat(continued.spanId()).isNotEqualTo(trace.spanId());
  }

  @Test
  void poisonRecordsAreDeadLetteredWithTheirReasonAndTheNextRecordIsProcessed() {
    String in = clients.createTopicWithDeadLetters("poison-in", 1);
    String out = clients.createTopicWithDeadLetters("poison-out", 1);
    start(upperCasing("poison", in, out));

    byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
    byte[] unknownSchemaId = {0, 0x7f, 0x00, 0x00, 0x01, 2, 4, 6};
    clients.sendRaw(in, "call-2", garbage);
    clients.sendRaw(in, "call-2", unknownSchemaId);
    clients.sendRaw(in, "call-2", null);
    clients.send(in, "call-other", transcript("call-2", "wrong key"));
    clients.send(in, "call-2", transcript("call-2", "after the poison"));

    List<ConsumerRecord<String, Object>> outputs = clients.read(out, 1, WAIT);
    assertThat(outputs).extracting(r -> ((Transcript) r.value()).getText()).containsExactly("AFTER THE POISON");

    List<DeadLetter> letters = clients.read(in + ".dlq", 4, WAIT).stream().map(r -> (DeadLetter) r.value()).toList();
    assertThat(letters).hasSize(4);
    assertThat(letters).allSatisfy(l -> {
      assertThat(l.getSourceTopic()).isEqualTo(in);
      assertThat(l.getStage()).isEqualTo("poison");
    });
    assertThat(letters.get(0).getReason()).startsWith("the value cannot be deserialized").containsIgnoringCase("magic");
    assertThat(bytes(letters.get(0).getValue())).isEqualTo(garbage);
    assertThat(letters.get(1).getReason()).startsWith("the value cannot be deserialized").contains("2130706433");
    assertThat(bytes(letters.get(1).getValue())).isEqualTo(unknownSchemaId);
    assertThat(letters.get(2).getReason()).isEqualTo("the record has no value");
    assertThat(letters.get(3).getReason()).contains("'call-other'").contains("'call-2'");
    assertThat(letters).extracting(DeadLetter::getOffset).containsExactly(0L, 1L, 2L, 3L);
  }

  @Test
  void aProcessorFailureIsDeadLetteredAndTheStageGoesOn() {
    String in = clients.createTopicWithDeadLetters("failing-in", 1);
    String out = clients.createTopicWithDeadLetters("failing-out", 1);
    start(Stage.builder("failing", Transcript.class)
        .consume(in)
        .process(r -> {
          if (r.value().getText().equals("explode")) {
            throw new IllegalStateException("the engine choked on this utterance");
          }
          return Flux.just(r.reply(out, r.value()));
        }));

    clients.send(in, "call-3", transcript("call-3", "explode"));
    clients.send(in, "call-3", transcript("call-3", "fine"));

    assertThat(clients.read(out, 1, WAIT)).hasSize(1);
    DeadLetter letter = (DeadLetter) clients.read(in + ".dlq", 1, WAIT).get(0).value();
    assertThat(letter.getReason()).isEqualTo("processing failed: the engine choked on this utterance");
    assertThat(letter.getErrorClass()).isEqualTo(IllegalStateException.class.getName());
  }

  @Test
  void aRecordWhoseOutputsWereNotAcknowledgedIsRedeliveredToTheNextInstance() throws Exception {
    String in = clients.createTopicWithDeadLetters("redeliver-in", 1);
    String out = clients.createTopicWithDeadLetters("redeliver-out", 1);
    List<String> seenBySecond = new CopyOnWriteArrayList<>();
    // The first instance finishes the first record and hangs on the second, as if it died while processing it.
    Disposable first = start(Stage.builder("redeliver", Transcript.class)
        .consume(in)
        .process(r -> r.value().getText().equals("second")
            ? Mono.never()
            : Flux.just(r.reply(out, r.value()))));
    clients.send(in, "call-4", transcript("call-4", "first"));
    clients.send(in, "call-4", transcript("call-4", "second"));
    assertThat(clients.read(out, 1, WAIT)).hasSize(1);
    Thread.sleep(1_000); // past the commit interval: the first record's offset is committed
    first.dispose();

    start(Stage.builder("redeliver", Transcript.class)
        .consume(in)
        .process(r -> {
          seenBySecond.add(r.value().getText());
          return Flux.just(r.reply(out, r.value()));
        }));

    assertThat(clients.read(out, 2, WAIT)).hasSize(2);
    assertThat(seenBySecond).containsExactly("second");
  }

  @Test
  void keyOrderedParallelismKeepsEachCallInOrder() {
    String in = clients.createTopicWithDeadLetters("ordered-in", 1);
    String out = clients.createTopicWithDeadLetters("ordered-out", 1);
    start(Stage.builder("ordered", Transcript.class)
        .consume(in)
        .concurrencyPerPartition(8)
        .process(r -> Mono.delay(Duration.ofMillis(r.value().getText().endsWith("0") ? 30 : 1))
            .thenReturn(r.reply(out, r.value()))));

    int calls = 4;
    int perCall = 15;
    for (int i = 0; i < perCall; i++) {
      for (int c = 0; c < calls; c++) {
        clients.send(in, "call-" + c, transcript("call-" + c, String.valueOf(i)));
      }
    }

    List<ConsumerRecord<String, Object>> records = clients.read(out, calls * perCall, WAIT);
    assertThat(records).hasSize(calls * perCall);
    for (int c = 0; c < calls; c++) {
      String key = "call-" + c;
      List<Integer> order = records.stream().filter(r -> r.key().equals(key))
          .map(r -> Integer.parseInt(((Transcript) r.value()).getText())).toList();
      assertThat(order).as(key).isSorted().hasSize(perCall);
    }
  }

  @Test
  void aRecordStillInProcessingLongAfterItWasTakenIsReportedOnceAndTheOtherCallsGoOn() {
    String in = clients.createTopicWithDeadLetters("stuck-in", 1);
    String out = clients.createTopicWithDeadLetters("stuck-out", 1);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Sinks.Empty<Void> release = Sinks.empty();
    Disposable d = Stage.builder("stuck", Transcript.class)
        .consume(in)
        .concurrencyPerPartition(4)
        .reportStuckAfter(Duration.ofSeconds(1))
        .process(r -> r.value().getCallId().equals("call-slow")
            ? release.asMono().thenReturn(r.reply(out, r.value()))
            : Mono.just(r.reply(out, r.value())))
        .kafka(clients.settings(), sender)
        .metrics(meters)
        .build()
        .start();
    running.add(d);
    // the first output waits for the schema's registration and the producer's metadata: not what is measured here
    clients.send(in, "call-first", transcript("call-first", "warm"));
    assertThat(clients.read(out, 1, WAIT)).hasSize(1);
    clients.send(in, "call-slow", transcript("call-slow", "held"));
    clients.send(in, "call-ok", transcript("call-ok", "fine"));

    assertThat(clients.read(out, 2, WAIT)).last().satisfies(r -> assertThat(r.key()).isEqualTo("call-ok"));
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (stuckCount(meters) < 1 && System.nanoTime() < deadline) {
      Mono.delay(Duration.ofMillis(50)).block();
    }
    assertThat(stuckCount(meters)).isEqualTo(1);
    // reported once however long it stays, not again on every check
    Mono.delay(Duration.ofMillis(2500)).block();
    assertThat(stuckCount(meters)).isEqualTo(1);
    release.tryEmitEmpty();
    assertThat(clients.read(out, 3, WAIT)).hasSize(3);
  }

  private static double stuckCount(SimpleMeterRegistry meters) {
    return meters.find("sva.stage.records.stuck").counters().stream().mapToDouble(c -> c.count()).sum();
  }

  private Stage.Builder<Transcript> upperCasing(String name, String in, String out) {
    return Stage.builder(name, Transcript.class)
        .consume(in)
        .expectKey(t -> t.getCallId())
        .process(r -> {
          Transcript upper = Transcript.newBuilder(r.value()).setText(r.value().getText().toUpperCase()).build();
          return Flux.just(r.reply(out, upper));
        });
  }

  private Disposable start(Stage.Builder<?> builder) {
    Disposable d = builder.kafka(clients.settings(), sender)
        .metrics(new SimpleMeterRegistry())
        .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
        .build()
        .start();
    running.add(d);
    return d;
  }

  static Transcript transcript(String callId, String text) {
    return Transcript.newBuilder()
        .setCallId(callId)
        .setUtteranceId(callId + "-u1")
        .setText(text)
        .setIsFinal(true)
        .setLanguage("en-US")
        .setConfidence(0.9f)
        .setStartMs(0)
        .setEndMs(1200)
        .setEngine("test")
        .setProducedAt(Instant.now())
        .build();
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] b = new byte[buffer.remaining()];
    buffer.duplicate().get(b);
    return b;
  }
}
