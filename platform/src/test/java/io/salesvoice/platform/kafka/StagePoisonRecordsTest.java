package io.salesvoice.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.salesvoice.platform.stack.BadInputReport;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.PoisonRecords;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.platform.stack.StagePoisonProbe;
import io.salesvoice.schema.transcript.Transcript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;

/** Every poison shape against the stage runner itself, typed and untyped, on the real broker and registry. */
@ExtendWith(LocalStackExtension.class)
class StagePoisonRecordsTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private final KafkaStack stack;
  private StackClients clients;
  private RecordSender sender;
  private PoisonRecords poisons;

  StagePoisonRecordsTest(KafkaStack stack) {
    this.stack = stack;
  }

  @BeforeEach
  void connect() {
    clients = new StackClients(stack);
    sender = RecordSender.create(clients.settings());
    poisons = new PoisonRecords(clients.settings());
  }

  @AfterEach
  void disconnect() {
    poisons.close();
    sender.close();
    clients.close();
  }

  @Test
  void everyPoisonShapeIsDeadLetteredWithItsReasonAndTheNextRecordIsProcessed() {
    check(Transcript.class, "stage-poison", v -> v.getCallId());
  }

  @Test
  void aStageOfSeveralValueTypesNamesTheTypeThatHasNoCallId() {
    // as the dialog worker and stt-worker consume: any value, the key checked against the types they know
    check(Object.class, "stage-poison-any", v -> v instanceof Transcript t ? t.getCallId() : null);
  }

  private <V> void check(Class<V> type, String name, java.util.function.Function<V, String> callIdOf) {
    String in = clients.createTopicWithDeadLetters(name + "-in", 1);
    String out = clients.createTopicWithDeadLetters(name + "-out", 1);
    Stage<V> stage = Stage.builder(name, type)
        .consume(in)
        .expectKey(callIdOf)
        .process(r -> Flux.just(r.reply(out, r.value())))
        .kafka(clients.settings(), sender)
        .metrics(new SimpleMeterRegistry())
        .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
        .build();
    List<PoisonRecords.Poison> all = new ArrayList<>(poisons.structured(in, "call-1",
        StageTest.transcript("call-1", "valid"), PoisonRecords.seed()));
    all.addAll(poisons.mutations(in, "call-1", StageTest.transcript("call-1", "valid"), PoisonRecords.seed(),
        PoisonRecords.mutationCount(20)));
    BadInputReport report = new BadInputReport("platform-" + name, "poison records on a stage of "
        + type.getSimpleName() + " values");
    try (StagePoisonProbe probe = StagePoisonProbe.watch(stage.run())) {
      probe.check(clients, in, "call-1", StageTest.transcript("call-1", "before"),
          StageTest.transcript("call-1", "after"), all, report, WAIT);
    }
    report.write();
    assertThat(report.mishandledCount()).as(report.toString()).isZero();
    assertThat(report.tried()).as("every poison accounted for").isEqualTo(all.size());
  }
}
