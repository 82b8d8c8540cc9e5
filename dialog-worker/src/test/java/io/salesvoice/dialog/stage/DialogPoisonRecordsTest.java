package io.salesvoice.dialog.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.salesvoice.dialog.engine.ScriptEngine;
import io.salesvoice.dialog.script.ScriptCatalog;
import io.salesvoice.dialog.support.Records;
import io.salesvoice.dialog.support.TestKnowledge;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.stack.BadInputReport;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.PoisonRecords;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.platform.stack.StagePoisonProbe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Poison records on both topics the dialog stage consumes (sva.calls, sva.transcripts), against the real stage on the
 * real broker and registry: each is dead-lettered with its reason, and the call's next valid record is processed.
 */
@ExtendWith(LocalStackExtension.class)
class DialogPoisonRecordsTest {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T07:00:00Z"), ZoneId.of("Europe/Moscow"));

  private final KafkaStack stack;

  DialogPoisonRecordsTest(KafkaStack stack) {
    this.stack = stack;
  }

  @Test
  void everyPoisonOnCallsAndTranscriptsIsDeadLetteredWithItsReasonAndTheCallGoesOn() {
    BadInputReport report = new BadInputReport("dialog-worker-poison", "poison records on sva.calls and sva.transcripts");
    int sent;
    try (StackClients clients = new StackClients(stack);
         RecordSender sender = RecordSender.create(clients.settings());
         PoisonRecords poisons = new PoisonRecords(clients.settings())) {
      String id = UUID.randomUUID().toString().substring(0, 8);
      DialogTopics topics = new DialogTopics("transcripts-" + id, "calls-" + id, "turns-" + id, "crm-" + id,
          "state-" + id);
      clients.createTopics(2, topics.transcripts(), topics.calls(), topics.turns(), topics.crmCommands(),
          topics.state(), topics.transcripts() + ".dlq", topics.calls() + ".dlq");
      ScriptEngine script = new ScriptEngine(ScriptCatalog.builtIn(), TestKnowledge.shipped(), CLOCK);
      DialogStage stage = new DialogStage(clients.settings(), sender, new SimpleMeterRegistry(), topics, script,
          script, CLOCK, new DialogStage.Settings("dialog-" + id, 8, Duration.ofSeconds(2), Duration.ofSeconds(30),
          Duration.ofMillis(100), Duration.ofSeconds(1)));

      String callId = "call-poison-" + id;
      var started = Records.started(callId, "en-US", "+14155552671", 0, Map.of("name", "John"));
      List<PoisonRecords.Poison> onCalls = new ArrayList<>(poisons.structured(topics.calls(), callId, started,
          PoisonRecords.seed()));
      onCalls.addAll(poisons.mutations(topics.calls(), callId, started, PoisonRecords.seed(),
          PoisonRecords.mutationCount(30)));
      var said = Records.said(callId, "u1", "yes, sure", "en-US");
      List<PoisonRecords.Poison> onTranscripts = new ArrayList<>(poisons.structured(topics.transcripts(), callId, said,
          PoisonRecords.seed() + 1));
      onTranscripts.addAll(poisons.mutations(topics.transcripts(), callId, said, PoisonRecords.seed() + 1,
          PoisonRecords.mutationCount(30)));
      sent = onCalls.size() + onTranscripts.size();

      try (StagePoisonProbe probe = StagePoisonProbe.watch(stage.run())) {
        // the call starts, poison arrives, and its start is delivered again: the stage still answers on that partition
        probe.check(clients, topics.calls(), callId, started, started, onCalls, report, WAIT);
        probe.check(clients, topics.transcripts(), callId, said,
            Records.said(callId, "u2", "I work at Acme Corp", "en-US"), onTranscripts, report, WAIT);
      } finally {
        report.write();
      }
    }
    assertThat(report.mishandledCount()).as(report.toString()).isZero();
    assertThat(report.tried()).as("every poison accounted for").isEqualTo(sent);
  }
}
