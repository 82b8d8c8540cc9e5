package io.salesvoice.tts.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.stack.BadInputReport;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.PoisonRecords;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.platform.stack.StagePoisonProbe;
import io.salesvoice.schema.audio.AudioCodec;
import io.salesvoice.tts.audio.OutputFormat;
import io.salesvoice.tts.text.TextNormalizer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Poison records on both topics the worker consumes (sva.dialog.turns for speech, sva.calls for call events), against
 * its real stages on the real broker and registry: each is dead-lettered with its reason, and the next valid record
 * is processed.
 */
@ExtendWith(LocalStackExtension.class)
class TtsPoisonRecordsTest {

  private static final Duration WAIT = Duration.ofSeconds(90);

  private final KafkaStack stack;

  TtsPoisonRecordsTest(KafkaStack stack) {
    this.stack = stack;
  }

  @Test
  void everyPoisonOnTurnsAndCallEventsIsDeadLetteredWithItsReasonAndTheStagesGoOn() {
    BadInputReport report = new BadInputReport("tts-worker-poison", "poison records on sva.dialog.turns and sva.calls");
    int sent = 0;
    try (StackClients clients = new StackClients(stack);
         RecordSender sender = RecordSender.create(clients.settings());
         PoisonRecords poisons = new PoisonRecords(clients.settings())) {
      String turns = clients.createTopicWithDeadLetters("turns", 2);
      String calls = clients.createTopicWithDeadLetters("calls", 2);
      String audioOut = clients.createTopicWithDeadLetters("audio-out", 2);
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      CallRegistry registry = new CallRegistry(1000, Duration.ofHours(1), Clock.systemUTC());
      OutputFormat fallback = OutputFormat.of(AudioCodec.PCM16, 16000);
      TurnSpeaker speaker = new TurnSpeaker(new ToneEngine(Duration.ZERO), new TextNormalizer(), registry,
          new AudioCache(0, 0), new TtsMetrics(meters), new TurnSpeaker.Settings(fallback, Duration.ofSeconds(2)));
      TtsStages stages = new TtsStages(speaker, registry, fallback, clients.settings(), sender, meters,
          new TtsStages.Settings("tts-poison-" + UUID.randomUUID(), "i1", "earliest", 4,
              new TtsStages.TopicNames(turns, calls, audioOut)), p -> { });

      String callId = "call-poison";
      var turn = TtsStagesTest.turn(callId, "t1", 0, "Hello there.", true, -1, "en-US");
      List<PoisonRecords.Poison> onTurns = new ArrayList<>(poisons.structured(turns, callId, turn, PoisonRecords.seed()));
      onTurns.addAll(poisons.mutations(turns, callId, turn, PoisonRecords.seed(), PoisonRecords.mutationCount(30)));
      var started = TtsStagesTest.started(callId, AudioCodec.MULAW, 8000, 1);
      List<PoisonRecords.Poison> onCalls = new ArrayList<>(poisons.structured(calls, callId, started,
          PoisonRecords.seed() + 1));
      onCalls.addAll(poisons.mutations(calls, callId, started, PoisonRecords.seed() + 1,
          PoisonRecords.mutationCount(30)));
      sent = onTurns.size() + onCalls.size();

      try (StagePoisonProbe speech = StagePoisonProbe.watch(stages.runSpeech());
           StagePoisonProbe callEvents = StagePoisonProbe.watch(stages.runCallEvents())) {
        callEvents.check(clients, calls, callId, started, TtsStagesTest.bargeIn(callId, "t1"), onCalls, report, WAIT);
        speech.check(clients, turns, callId, turn,
            TtsStagesTest.turn(callId, "t2", 0, "Still here.", true, -1, "en-US"), onTurns, report, WAIT);
      } finally {
        report.write();
      }
    }
    assertThat(report.mishandledCount()).as(report.toString()).isZero();
    assertThat(report.tried()).as("every poison accounted for").isEqualTo(sent);
  }
}
