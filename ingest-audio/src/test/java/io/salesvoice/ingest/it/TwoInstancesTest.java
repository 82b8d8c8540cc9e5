package io.salesvoice.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesvoice.ingest.call.LiveCalls;
import io.salesvoice.ingest.call.ReplyPartitions;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.schema.audio.AudioChunk;
import io.salesvoice.schema.audio.AudioCodec;
import io.salesvoice.schema.audio.Channel;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two ingest instances share sva.audio.out's partitions: each call's agent audio reaches its own instance only. */
@ExtendWith(LocalStackExtension.class)
class TwoInstancesTest {

  @Test
  void eachInstanceReceivesOnlyItsOwnCallsAgentAudio(KafkaStack stack) {
    String group = IngestInstance.uniqueGroup();
    try (IngestInstance a = IngestInstance.start(stack, "ingest-a", group, Map.of());
         IngestInstance b = IngestInstance.start(stack, "ingest-b", group, Map.of());
         StackClients kafka = new StackClients(stack)) {
      awaitSplit(a, b);
      // the first registration of a schema races between two producers on Apicurio (HTTP 409, see README):
      // register the edge's schemas once before both instances write
      kafka.send(Topics.CALLS, "warm-up", io.salesvoice.schema.call.CallEvent.newBuilder().setCallId("warm-up")
          .setEventId("warm-up").setOccurredAt(Instant.now()).setEvent(io.salesvoice.schema.call.Dtmf.newBuilder()
              .setDigits("0").setMediaTimeMs(0).build()).build());
      kafka.send(Topics.AUDIO_IN, "warm-up", AudioChunk.newBuilder().setCallId("warm-up").setSeq(0)
          .setChannel(Channel.CUSTOMER).setCodec(AudioCodec.PCM16).setSampleRate(8000).setMediaTimeMs(0)
          .setDurationMs(0).setData(ByteBuffer.allocate(0)).setProducedAt(Instant.now()).build());
      List<Integer> ownedByA = a.bean(ReplyPartitions.class).owned();
      List<Integer> ownedByB = b.bean(ReplyPartitions.class).owned();
      Set<Integer> overlap = new HashSet<>(ownedByA);
      overlap.retainAll(ownedByB);
      assertThat(overlap).isEmpty();
      assertThat(ownedByA.size() + ownedByB.size()).isEqualTo(12);

      String callA = "call-a-" + UUID.randomUUID();
      String callB = "call-b-" + UUID.randomUUID();
      try (WsTestClient clientA = WsTestClient.connect(a.ws("/media/pcm?rate=8000&token=" + a.token(callA)));
           WsTestClient clientB = WsTestClient.connect(b.ws("/media/pcm?rate=8000&token=" + b.token(callB)))) {
        int partitionA = awaitLive(a, callA).replyPartition();
        int partitionB = awaitLive(b, callB).replyPartition();
        assertThat(ownedByA).contains(partitionA);
        assertThat(ownedByB).contains(partitionB);

        // 200 ms for A's caller, 400 ms for B's: distinct sizes tell them apart
        produce(kafka, callA, partitionA, 2);
        produce(kafka, callB, partitionB, 4);
        assertThat(clientA.await(f -> f.binary() != null, 10, Duration.ofSeconds(20))).hasSize(10);
        assertThat(clientB.await(f -> f.binary() != null, 20, Duration.ofSeconds(20))).hasSize(20);
        IngestInstance.sleep(500);
        assertThat(clientA.received.stream().filter(f -> f.binary() != null).count()).isEqualTo(10);
        assertThat(clientB.received.stream().filter(f -> f.binary() != null).count()).isEqualTo(20);
        // neither instance even read the other's chunks
        assertThat(a.counter("sva.ingest.playback.dropped")).isZero();
        assertThat(b.counter("sva.ingest.playback.dropped")).isZero();
        assertThat(a.counter("sva.ingest.chunks.out")).isEqualTo(10);
        assertThat(b.counter("sva.ingest.chunks.out")).isEqualTo(20);
        clientA.send("{\"event\":\"stop\"}");
        clientB.send("{\"event\":\"stop\"}");
      }
    }
  }

  private static void produce(StackClients kafka, String callId, int partition, int chunks) {
    for (int seq = 0; seq < chunks; seq++) {
      AudioChunk chunk = AudioChunk.newBuilder().setCallId(callId).setSeq(seq).setChannel(Channel.AGENT)
          .setCodec(AudioCodec.PCM16).setSampleRate(8000).setMediaTimeMs(seq * 100L).setDurationMs(100)
          .setData(ByteBuffer.wrap(TwilioStreamTest.tone(8000, 100, 0.2))).setTurnId("t1")
          .setLastOfTurn(seq == chunks - 1).setProducedAt(Instant.now()).build();
      kafka.sendWithHeaders(new ProducerRecord<>(Topics.AUDIO_OUT, partition, callId, chunk));
    }
  }

  private static void awaitSplit(IngestInstance a, IngestInstance b) {
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)) {
      int ownedA = a.bean(ReplyPartitions.class).owned().size();
      int ownedB = b.bean(ReplyPartitions.class).owned().size();
      if (ownedA > 0 && ownedB > 0 && ownedA + ownedB == 12) {
        return;
      }
      IngestInstance.sleep(100);
    }
    throw new AssertionError("the two instances did not share sva.audio.out's partitions");
  }

  private static LiveCalls.LiveCall awaitLive(IngestInstance instance, String callId) {
    Instant deadline = Instant.now().plusSeconds(20);
    while (Instant.now().isBefore(deadline)) {
      var live = instance.bean(LiveCalls.class).get(callId);
      if (live.isPresent()) {
        return live.get();
      }
      IngestInstance.sleep(20);
    }
    throw new AssertionError("call " + callId + " did not start on " + instance.instanceId);
  }
}
