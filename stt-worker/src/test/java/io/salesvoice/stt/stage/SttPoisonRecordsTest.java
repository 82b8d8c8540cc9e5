package io.salesvoice.stt.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.stack.BadInputReport;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.PoisonRecords;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.platform.stack.StagePoisonProbe;
import io.salesvoice.schema.audio.AudioChunk;
import io.salesvoice.stt.transcription.CallTranscriber;
import io.salesvoice.stt.transcription.RecordingEngine;
import io.salesvoice.stt.transcription.TranscriptionSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Poison records on every topic the worker consumes (sva.audio.in, sva.calls, sva.dialog.turns), against its real
 * stage on the real broker and registry: each is dead-lettered with its reason, and the call's next record is
 * processed.
 */
@ExtendWith(LocalStackExtension.class)
class SttPoisonRecordsTest {

  private static final Duration WAIT = Duration.ofSeconds(90);

  private final KafkaStack stack;

  SttPoisonRecordsTest(KafkaStack stack) {
    this.stack = stack;
  }

  @Test
  void everyPoisonOnAudioAndCallEventsIsDeadLetteredWithItsReasonAndTheStageGoesOn() {
    BadInputReport report = new BadInputReport("stt-worker-poison", "poison records on sva.audio.in, sva.calls and sva.dialog.turns");
    int sent;
    try (StackClients clients = new StackClients(stack);
         RecordSender sender = RecordSender.create(clients.settings());
         PoisonRecords poisons = new PoisonRecords(clients.settings())) {
      String audioIn = clients.createTopicWithDeadLetters("audio-in", 2);
      String calls = clients.createTopicWithDeadLetters("calls", 2);
      String turns = clients.createTopicWithDeadLetters("dialog-turns", 2);
      String transcripts = clients.createTopicWithDeadLetters("transcripts", 2);
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      SttMetrics metrics = new SttMetrics(meters);
      CallTranscriber transcriber = new CallTranscriber(new RecordingEngine(), TranscriptionSettings.defaults(),
          Clock.systemUTC(), metrics);
      TranscriptionStage stage = new TranscriptionStage(transcriber, new TranscriptionStage.Topology(audioIn, calls,
          turns, transcripts, "stt-" + UUID.randomUUID(), 4, Duration.ofSeconds(1)), clients.settings(), sender, meters);

      String callId = "call-poison";
      List<AudioChunk> audio = TranscriptionStageTest.mulawChunks(callId,
          TranscriptionStageTest.syllables(200, 400, 200));
      var started = TranscriptionStageTest.callStarted(callId, "en-US");
      List<PoisonRecords.Poison> onCalls = new ArrayList<>(poisons.structured(calls, callId, started,
          PoisonRecords.seed()));
      onCalls.addAll(poisons.mutations(calls, callId, started, PoisonRecords.seed(), PoisonRecords.mutationCount(30)));
      List<PoisonRecords.Poison> onAudio = new ArrayList<>(poisons.structured(audioIn, callId, audio.get(0),
          PoisonRecords.seed() + 1));
      onAudio.addAll(poisons.mutations(audioIn, callId, audio.get(0), PoisonRecords.seed() + 1,
          PoisonRecords.mutationCount(30)));
      var turn = TranscriptionStageTest.dialogTurn(callId, 0, List.of("да", "нет"));
      List<PoisonRecords.Poison> onTurns = new ArrayList<>(poisons.structured(turns, callId, turn,
          PoisonRecords.seed() + 2));
      onTurns.addAll(poisons.mutations(turns, callId, turn, PoisonRecords.seed() + 2,
          PoisonRecords.mutationCount(30)));
      sent = onCalls.size() + onAudio.size() + onTurns.size();

      try (StagePoisonProbe probe = StagePoisonProbe.watch(stage.run())) {
        probe.check(clients, calls, callId, started, started, onCalls, report, WAIT);
        probe.check(clients, audioIn, callId, audio.get(0), audio.get(1), onAudio, report, WAIT);
        probe.check(clients, turns, callId, turn, TranscriptionStageTest.dialogTurn(callId, 1, List.of("да")), onTurns,
            report, WAIT);
      } finally {
        stage.close();
        report.write();
      }
    }
    assertThat(report.mishandledCount()).as(report.toString()).isZero();
    assertThat(report.tried()).as("every poison accounted for").isEqualTo(sent);
  }
}
