package io.salesvoice.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesvoice.ingest.audio.G711;
import io.salesvoice.ingest.audio.Pcm16;
import io.salesvoice.ingest.call.LiveCalls;
import io.salesvoice.ingest.call.ReplyPartitions;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.schema.audio.AfterTurn;
import io.salesvoice.schema.audio.AudioChunk;
import io.salesvoice.schema.audio.AudioCodec;
import io.salesvoice.schema.audio.Channel;
import io.salesvoice.schema.call.AnsweredBy;
import io.salesvoice.schema.call.BargeIn;
import io.salesvoice.schema.call.CallAnswered;
import io.salesvoice.schema.call.CallDirection;
import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.call.CallEnded;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.call.CallStarted;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.web.reactive.socket.CloseStatus;

/** A Twilio Media Streams client against a real ingest instance and the in-process broker. */
@ExtendWith(LocalStackExtension.class)
class TwilioStreamTest {

  private static IngestInstance ingest;
  private static KafkaStack stack;

  @BeforeAll
  static void start(KafkaStack kafka) {
    stack = kafka;
    ingest = IngestInstance.start(kafka, "ingest-twilio-test", IngestInstance.uniqueGroup(), Map.of())
        .awaitPartitions(Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    ingest.close();
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = TwilioStreamTest.class.getResourceAsStream("/audio/" + name)) {
      return in.readAllBytes();
    }
  }

  static String start(String callId, String token) {
    return """
        {"event":"start","sequenceNumber":"1","streamSid":"MZ%1$s","start":{"accountSid":"AC1","streamSid":"MZ%1$s",
        "callSid":"CA%1$s","tracks":["inbound"],"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,
        "channels":1},"customParameters":{"token":"%2$s","campaignId":"camp-1","leadId":"lead-7",
        "phoneNumber":"+79991234567","language":"en-US","tone":"friendly"}}}""".formatted(callId, token);
  }

  static String media(String callId, int chunk, byte[] mulaw) {
    return "{\"event\":\"media\",\"sequenceNumber\":\"" + (chunk + 2) + "\",\"streamSid\":\"MZ" + callId
        + "\",\"media\":{\"track\":\"inbound\",\"chunk\":\"" + chunk + "\",\"timestamp\":\"" + chunk * 20
        + "\",\"payload\":\"" + Base64.getEncoder().encodeToString(mulaw) + "\"}}";
  }

  static String stop(String callId) {
    return "{\"event\":\"stop\",\"sequenceNumber\":\"999\",\"streamSid\":\"MZ" + callId
        + "\",\"stop\":{\"accountSid\":\"AC1\",\"callSid\":\"CA" + callId + "\"}}";
  }

  @Test
  void aRecordedCallStreamsIntoAudioInChunkForChunkInOrder() throws IOException {
    String callId = "call-" + UUID.randomUUID();
    byte[] wav = resource("offer-8k-mulaw.wav");
    byte[] mulaw = Arrays.copyOfRange(wav, 44, wav.length);
    byte[] expectedPcm = resource("offer-8k-mulaw.pcm16");
    int frames = (mulaw.length + 159) / 160;

    try (WsTestClient twilio = WsTestClient.connect(ingest.ws("/media/twilio"))) {
      twilio.send("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}");
      twilio.send(start(callId, ingest.token(callId)));
      for (int i = 0; i < frames; i++) {
        twilio.send(media(callId, i, Arrays.copyOfRange(mulaw, i * 160, Math.min(mulaw.length, (i + 1) * 160))));
      }
      twilio.send(stop(callId));
      assertThat(twilio.awaitClose(Duration.ofSeconds(20)).getCode()).isEqualTo(CloseStatus.NORMAL.getCode());
    }

    List<AudioChunk> chunks = CallReader.read(stack, Topics.AUDIO_IN, callId, AudioChunk.class,
        l -> l.size() >= frames, Duration.ofSeconds(30));
    assertThat(chunks).hasSize(frames);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (int i = 0; i < chunks.size(); i++) {
      AudioChunk c = chunks.get(i);
      assertThat(c.getSeq()).isEqualTo(i);
      assertThat(c.getChannel()).isEqualTo(Channel.CUSTOMER);
      assertThat(c.getCodec()).isEqualTo(AudioCodec.PCM16);
      assertThat(c.getSampleRate()).isEqualTo(8000);
      assertThat(c.getMediaTimeMs()).isEqualTo(i * 20L);
      byte[] data = new byte[c.getData().remaining()];
      c.getData().get(data);
      all.writeBytes(data);
    }
    // byte for byte what CPython's audioop decodes from the same mu-law
    assertThat(all.toByteArray()).isEqualTo(expectedPcm);

    List<CallEvent> events = CallReader.read(stack, Topics.CALLS, callId, CallEvent.class, l -> l.size() >= 2,
        Duration.ofSeconds(30));
    assertThat(events).hasSize(2);
    CallStarted started = (CallStarted) events.get(0).getEvent();
    assertThat(events.get(0).getCampaignId()).isEqualTo("camp-1");
    assertThat(started.getProvider()).isEqualTo("twilio");
    assertThat(started.getDirection()).isEqualTo(CallDirection.OUTBOUND);
    assertThat(started.getLeadId()).isEqualTo("lead-7");
    assertThat(started.getLanguage()).isEqualTo("en-US");
    assertThat(started.getGatewayInstance()).isEqualTo("ingest-twilio-test");
    assertThat(ingest.bean(ReplyPartitions.class).owned()).contains(started.getReplyPartition());
    assertThat(started.getParameters()).containsEntry("callSid", "CA" + callId).containsEntry("tone", "friendly")
        .doesNotContainKey("token");
    CallEnded ended = (CallEnded) events.get(1).getEvent();
    assertThat(ended.getReason()).isEqualTo(CallEndReason.CUSTOMER_HANGUP);
    assertThat(ingest.bean(LiveCalls.class).get(callId)).isEmpty();
  }

  @Test
  void agentAudioArrivesPacedAndABargeInClearsIt() {
    String callId = "call-" + UUID.randomUUID();
    try (WsTestClient twilio = WsTestClient.connect(ingest.ws("/media/twilio"));
         StackClients kafka = new StackClients(stack)) {
      twilio.send(start(callId, ingest.token(callId)));
      int partition = awaitLive(callId).replyPartition();
      assertThat(ingest.bean(io.micrometer.core.instrument.MeterRegistry.class).find("sva.ingest.live_calls").gauge()
          .value()).isGreaterThanOrEqualTo(1);

      // a 12 s agent turn in 1 s chunks of 16 kHz PCM, produced at once to the call's reply partition
      for (int seq = 0; seq < 12; seq++) {
        AudioChunk chunk = AudioChunk.newBuilder().setCallId(callId).setSeq(seq).setChannel(Channel.AGENT)
            .setCodec(AudioCodec.PCM16).setSampleRate(16000).setMediaTimeMs(seq * 1000L).setDurationMs(1000)
            .setData(ByteBuffer.wrap(tone(16000, 1000, 0.2))).setTurnId("turn-1").setLastOfTurn(seq == 11)
            .setProducedAt(Instant.now()).build();
        kafka.sendWithHeaders(new ProducerRecord<>(Topics.AUDIO_OUT, partition, callId, chunk));
      }

      List<WsTestClient.Frame> first = twilio.await(f -> isMedia(f), 10, Duration.ofSeconds(20));
      assertThat(first).hasSizeGreaterThanOrEqualTo(10);
      IngestInstance.sleep(1000);
      List<WsTestClient.Frame> media = twilio.texts(TwilioStreamTest::isMediaText);
      // paced: about 1 s of 20 ms frames (plus the lead) came in the second after the tenth, not the whole 3 s turn
      // paced: n frames of 20 ms arrive over about (n - lead) × 20 ms, not in a burst of the whole 600-frame turn
      long spanMs = (media.get(media.size() - 1).atNanos() - media.get(0).atNanos()) / 1_000_000;
      assertThat(media.size()).isBetween(40, 550);
      assertThat(spanMs).isGreaterThanOrEqualTo((media.size() - 5) * 20L * 3 / 4);
      String payload = media.get(0).text().replaceAll(".*\"payload\":\"([^\"]+)\".*", "$1");
      assertThat(Base64.getDecoder().decode(payload)).hasSize(160);
      assertThat(media.get(0).text()).contains("\"streamSid\":\"MZ" + callId + "\"");

      // the customer talks over the agent: 400 ms of loud speech-level audio
      byte[] loud = G711.pcm16ToMulaw(tone(8000, 20, 0.3));
      for (int i = 0; i < 20; i++) {
        twilio.send(media(callId, i, loud));
        IngestInstance.sleep(20);
      }
      List<WsTestClient.Frame> clears = twilio.await(f -> f.text() != null && f.text().contains("\"clear\""), 1,
          Duration.ofSeconds(5));
      assertThat(clears).hasSize(1);
      assertThat(clears.get(0).text()).contains("MZ" + callId);
      IngestInstance.sleep(300);
      long afterClear = twilio.texts(TwilioStreamTest::isMediaText).stream()
          .filter(f -> f.atNanos() > clears.get(0).atNanos()).count();
      assertThat(afterClear).isZero();
      assertThat(twilio.texts(TwilioStreamTest::isMediaText).size()).isLessThan(600);
      twilio.send(stop(callId));
      twilio.awaitClose(Duration.ofSeconds(10));
    }

    List<CallEvent> events = CallReader.read(stack, Topics.CALLS, callId, CallEvent.class,
        l -> l.stream().anyMatch(e -> e.getEvent() instanceof CallEnded), Duration.ofSeconds(30));
    BargeIn bargeIn = events.stream().map(CallEvent::getEvent).filter(BargeIn.class::isInstance)
        .map(BargeIn.class::cast).findFirst().orElseThrow();
    assertThat(bargeIn.getTurnId()).isEqualTo("turn-1");
    assertThat(bargeIn.getPlayedMs()).isBetween(500L, 11900L);
    assertThat(bargeIn.getMediaTimeMs()).isBetween(0L, 400L);
    assertThat(ingest.counter("sva.ingest.barge_ins", "provider", "twilio")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void theAgentsGoodbyeIsPlayedToItsEndThenTheEdgeHangsUp() {
    String callId = "call-" + UUID.randomUUID();
    CloseStatus closed;
    try (WsTestClient twilio = WsTestClient.connect(ingest.ws("/media/twilio"));
         StackClients kafka = new StackClients(stack)) {
      twilio.send(start(callId, ingest.token(callId)));
      int partition = awaitLive(callId).replyPartition();
      // a 1 s goodbye in two chunks, the last of them telling the edge to hang up once it has been heard
      for (int seq = 0; seq < 2; seq++) {
        AudioChunk chunk = AudioChunk.newBuilder().setCallId(callId).setSeq(seq).setChannel(Channel.AGENT)
            .setCodec(AudioCodec.PCM16).setSampleRate(16000).setMediaTimeMs(seq * 500L).setDurationMs(500)
            .setData(ByteBuffer.wrap(tone(16000, 500, 0.2))).setTurnId("goodbye").setLastOfTurn(seq == 1)
            .setAfterTurn(seq == 1 ? AfterTurn.HANG_UP : AfterTurn.CONTINUE)
            .setProducedAt(Instant.now()).build();
        kafka.sendWithHeaders(new ProducerRecord<>(Topics.AUDIO_OUT, partition, callId, chunk));
      }
      // the caller keeps streaming, as a phone line does, and never sends stop
      byte[] quiet = G711.pcm16ToMulaw(tone(8000, 20, 0.001));
      for (int i = 0; i < 150 && !twilio.isClosed(); i++) {
        twilio.send(media(callId, i, quiet));
        IngestInstance.sleep(20);
      }
      closed = twilio.awaitClose(Duration.ofSeconds(10));
      // the whole goodbye, 50 frames of 20 ms, reached the caller before the hang-up
      assertThat(twilio.texts(TwilioStreamTest::isMediaText)).hasSize(50);
      assertThat(twilio.texts(t -> t.contains("\"mark\"")))
          .anySatisfy(f -> assertThat(f.text()).contains("goodbye"));
    }
    assertThat(closed.getCode()).isEqualTo(CloseStatus.NORMAL.getCode());
    assertThat(closed.getReason()).contains("agent");
    List<CallEvent> events = CallReader.read(stack, Topics.CALLS, callId, CallEvent.class,
        l -> l.stream().anyMatch(e -> e.getEvent() instanceof CallEnded), Duration.ofSeconds(30));
    CallEnded ended = events.stream().map(CallEvent::getEvent).filter(CallEnded.class::isInstance)
        .map(CallEnded.class::cast).findFirst().orElseThrow();
    assertThat(ended.getReason()).isEqualTo(CallEndReason.AGENT_HANGUP);
    assertThat(ended.getDurationMs()).isGreaterThanOrEqualTo(1000);
  }

  @Test
  void answeringMachineDetectionInTheStartBecomesCallAnsweredRightAfterCallStarted() {
    Map<String, AnsweredBy> expected = Map.of("machine_end_beep", AnsweredBy.MACHINE, "human", AnsweredBy.HUMAN,
        "fax", AnsweredBy.MACHINE, "unknown", AnsweredBy.UNKNOWN);
    Map<String, String> callIds = new java.util.HashMap<>();
    expected.keySet().forEach(answeredBy -> {
      String callId = "call-" + UUID.randomUUID();
      callIds.put(answeredBy, callId);
      try (WsTestClient twilio = WsTestClient.connect(ingest.ws("/media/twilio"))) {
        twilio.send(start(callId, ingest.token(callId)).replace("\"tone\":\"friendly\"",
            "\"tone\":\"friendly\",\"answeredBy\":\"" + answeredBy + "\""));
        twilio.send(stop(callId));
        assertThat(twilio.awaitClose(Duration.ofSeconds(20)).getCode()).isEqualTo(CloseStatus.NORMAL.getCode());
      }
    });
    expected.forEach((answeredBy, kind) -> {
      List<CallEvent> events = CallReader.read(stack, Topics.CALLS, callIds.get(answeredBy), CallEvent.class,
          l -> l.size() >= 3, Duration.ofSeconds(30));
      assertThat(events).extracting(e -> e.getEvent().getClass().getSimpleName())
          .containsExactly("CallStarted", "CallAnswered", "CallEnded");
      assertThat(((CallAnswered) events.get(1).getEvent()).getAnsweredBy()).as(answeredBy).isEqualTo(kind);
      assertThat(events.get(1).getCampaignId()).isEqualTo("camp-1");
    });
  }

  private static LiveCalls.LiveCall awaitLive(String callId) {
    Instant deadline = Instant.now().plusSeconds(20);
    while (Instant.now().isBefore(deadline)) {
      var live = ingest.bean(LiveCalls.class).get(callId);
      if (live.isPresent()) {
        return live.get();
      }
      IngestInstance.sleep(20);
    }
    throw new AssertionError("call " + callId + " did not start");
  }

  static boolean isMedia(WsTestClient.Frame f) {
    return f.text() != null && isMediaText(f.text());
  }

  static boolean isMediaText(String text) {
    return text.contains("\"event\":\"media\"");
  }

  static byte[] tone(int rate, int ms, double amplitude) {
    short[] s = new short[rate * ms / 1000];
    for (int i = 0; i < s.length; i++) {
      s[i] = (short) (amplitude * 32767 * Math.sin(2 * Math.PI * 440 * i / rate));
    }
    return Pcm16.toBytes(s);
  }
}
