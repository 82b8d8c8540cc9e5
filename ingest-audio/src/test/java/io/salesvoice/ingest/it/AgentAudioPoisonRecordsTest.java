package io.salesvoice.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesvoice.platform.stack.BadInputReport;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.PoisonRecords;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.schema.audio.AudioChunk;
import io.salesvoice.schema.audio.AudioCodec;
import io.salesvoice.schema.audio.Channel;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Poison records on sva.audio.out, on the reply partition of a live call, against the real playback consumer: by
 * design it commits and drops what it cannot play, so each poison must be counted in
 * {@code sva.ingest.playback.dropped}, and the call's next valid chunk must still reach the caller.
 */
@ExtendWith(LocalStackExtension.class)
class AgentAudioPoisonRecordsTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static IngestInstance ingest;
  private static KafkaStack stack;

  @BeforeAll
  static void start(KafkaStack kafka) {
    stack = kafka;
    ingest = IngestInstance.start(kafka, "ingest-poison-test", IngestInstance.uniqueGroup(),
        Map.of("sva.ingest.idle-timeout", "10m")).awaitPartitions(Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    ingest.close();
  }

  @Test
  void everyPoisonOnTheCallsReplyPartitionIsDroppedAndCountedAndTheNextChunkIsPlayed() {
    BadInputReport report = new BadInputReport("ingest-audio-playback-poison",
        "poison records on sva.audio.out (the agent-audio playback consumer)");
    int sent = 0;
    String callId = "call-poison-" + UUID.randomUUID();
    try (StackClients clients = new StackClients(stack);
         PoisonRecords poisons = new PoisonRecords(clients.settings());
         WsTestClient twilio = WsTestClient.connect(ingest.ws("/media/twilio"))) {
      twilio.send(TwilioStreamTest.start(callId, ingest.token(callId)));
      await("the call is live", () -> ingest.bean(io.salesvoice.ingest.call.LiveCalls.class).get(callId).isPresent());
      int partition = ingest.bean(io.salesvoice.ingest.call.LiveCalls.class).get(callId).orElseThrow().replyPartition();

      AudioChunk first = chunk(callId, 0);
      clients.send(Topics.AUDIO_OUT, callId, first);   // the catalogue keys by call id: the call's reply partition
      clients.sendRaw(new ProducerRecord<>(Topics.AUDIO_OUT, partition, callId, poisons.serialize(Topics.AUDIO_OUT,
          first)));   // and once more where the call's gateway reads, in case the key hashes elsewhere
      assertThat(twilio.await(TwilioStreamTest::isMedia, 1, WAIT)).as("the valid chunk was played").isNotEmpty();

      for (PoisonRecords.Poison p : poisons.structured(Topics.AUDIO_OUT, callId, first, PoisonRecords.seed())) {
        sent++;
        double before = dropped();
        clients.sendRaw(new ProducerRecord<>(Topics.AUDIO_OUT, partition, p.key(), p.value()));
        if (awaitQuietly(() -> dropped() > before)) {
          report.handled(p.shape().name(), "dropped and counted");
        } else {
          report.mishandled(p.shape().name(), p + " was not counted as dropped");
        }
      }
      List<PoisonRecords.Poison> mutations = poisons.mutations(Topics.AUDIO_OUT, callId, first, PoisonRecords.seed(),
          PoisonRecords.mutationCount(30));
      double before = dropped();
      for (PoisonRecords.Poison p : mutations) {
        sent++;
        clients.sendRaw(new ProducerRecord<>(Topics.AUDIO_OUT, partition, p.key(), p.value()));
      }
      int played = twilio.texts(TwilioStreamTest::isMediaText).size();
      clients.sendRaw(new ProducerRecord<>(Topics.AUDIO_OUT, partition, callId,
          poisons.serialize(Topics.AUDIO_OUT, chunk(callId, 1))));
      if (twilio.await(TwilioStreamTest::isMedia, played + 1, WAIT).size() <= played) {
        report.mishandled("VALID_AFTER_POISON", "the call's next chunk was not played: the consumer stopped");
      }
      int counted = (int) Math.min(mutations.size(), Math.round(dropped() - before));
      for (int i = 0; i < mutations.size(); i++) {
        report.handled("MUTATED", i < counted ? "dropped and counted" : "played or queued");
      }
      twilio.send(TwilioStreamTest.stop(callId));
      assertThat(twilio.awaitClose(WAIT).getCode()).isEqualTo(1000);
    } finally {
      report.write();
    }
    assertThat(report.mishandledCount()).as(report.toString()).isZero();
    assertThat(report.tried()).isEqualTo(sent);
  }

  private static AudioChunk chunk(String callId, long seq) {
    return AudioChunk.newBuilder().setCallId(callId).setSeq(seq).setChannel(Channel.AGENT).setCodec(AudioCodec.PCM16)
        .setSampleRate(16000).setMediaTimeMs(seq * 200).setDurationMs(200)
        .setData(ByteBuffer.wrap(TwilioStreamTest.tone(16000, 200, 0.2))).setTurnId("turn-1").setLastOfTurn(false)
        .setProducedAt(Instant.now()).build();
  }

  private static double dropped() {
    return ingest.counter("sva.ingest.playback.dropped");
  }

  private static boolean awaitQuietly(BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (Instant.now().isBefore(deadline)) {
      if (condition.getAsBoolean()) {
        return true;
      }
      IngestInstance.sleep(20);
    }
    return false;
  }

  private static void await(String what, BooleanSupplier condition) {
    if (!awaitQuietly(condition)) {
      throw new AssertionError("timed out waiting until " + what);
    }
  }
}
