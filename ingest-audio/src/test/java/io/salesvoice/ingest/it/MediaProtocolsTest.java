package io.salesvoice.ingest.it;

import static io.salesvoice.ingest.it.TwilioStreamTest.media;
import static io.salesvoice.ingest.it.TwilioStreamTest.tone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.salesvoice.ingest.audio.G711;
import io.salesvoice.ingest.call.LiveCalls;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.schema.audio.AudioChunk;
import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.call.CallEnded;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.call.CallStarted;
import io.salesvoice.schema.call.Dtmf;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The raw PCM and Voximplant protocols, and every kind of bad input on a media socket. */
@ExtendWith(LocalStackExtension.class)
class MediaProtocolsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static IngestInstance ingest;
  private static KafkaStack stack;

  @BeforeAll
  static void start(KafkaStack kafka) {
    stack = kafka;
    ingest = IngestInstance.start(kafka, "ingest-protocols-test", IngestInstance.uniqueGroup(),
        Map.of("sva.ingest.idle-timeout", "1500ms", "sva.ingest.max-frame-bytes", "8192"))
        .awaitPartitions(Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() {
    ingest.close();
  }

  private static String callId() {
    return "call-" + UUID.randomUUID();
  }

  private static List<AudioChunk> chunks(String callId, int n) {
    return CallReader.read(stack, Topics.AUDIO_IN, callId, AudioChunk.class, l -> l.size() >= n, WAIT);
  }

  private static List<CallEvent> eventsUntilEnd(String callId) {
    return CallReader.read(stack, Topics.CALLS, callId, CallEvent.class,
        l -> l.stream().anyMatch(e -> e.getEvent() instanceof CallEnded), WAIT);
  }

  private static CallEnded ended(List<CallEvent> events) {
    return (CallEnded) events.get(events.size() - 1).getEvent();
  }

  @Test
  void rawPcmAtSixteenKilohertzIsResampledToThePipelineRate() {
    String callId = callId();
    try (WsTestClient pcm = WsTestClient.connect(ingest.ws("/media/pcm?rate=16000&campaignId=camp-2&token="
        + ingest.token(callId)))) {
      for (int i = 0; i < 10; i++) {
        pcm.send(tone(16000, 20, 0.2));
      }
      pcm.send("{\"event\":\"dtmf\",\"digits\":\"5\"}");
      pcm.send("{\"event\":\"stop\"}");
      assertThat(pcm.awaitClose(WAIT).getCode()).isEqualTo(1000);
    }
    List<AudioChunk> chunks = chunks(callId, 10);
    assertThat(chunks).hasSize(10);
    assertThat(chunks).allSatisfy(c -> {
      assertThat(c.getSampleRate()).isEqualTo(8000);
      assertThat(c.getData().remaining()).isEqualTo(320);
      assertThat(c.getDurationMs()).isEqualTo(20);
    });
    List<CallEvent> events = eventsUntilEnd(callId);
    assertThat(((CallStarted) events.get(0).getEvent()).getProvider()).isEqualTo("pcm");
    assertThat(events.get(0).getCampaignId()).isEqualTo("camp-2");
    assertThat(events).anySatisfy(e -> assertThat(e.getEvent()).isInstanceOf(Dtmf.class));
    assertThat(ended(events).getReason()).isEqualTo(CallEndReason.CUSTOMER_HANGUP);
  }

  @Test
  void voximplantStreamsMediaWithItsFormatAndCustomParameters() {
    String callId = callId();
    try (WsTestClient vox = WsTestClient.connect(ingest.ws("/media/voximplant"))) {
      vox.send("{\"event\":\"start\",\"sequenceNumber\":0,\"start\":{\"mediaFormat\":{\"encoding\":\"ULAW\","
          + "\"sampleRate\":8000},\"tag\":\"customer\",\"customParameters\":{\"token\":\"" + ingest.token(callId)
          + "\",\"leadId\":\"lead-9\"}}}");
      byte[] mulaw = G711.pcm16ToMulaw(tone(8000, 20, 0.2));
      for (int i = 0; i < 8; i++) {
        vox.send("{\"event\":\"media\",\"sequenceNumber\":" + (i + 1) + ",\"media\":{\"tag\":\"customer\",\"chunk\":"
            + (i + 1) + ",\"timestamp\":" + i * 20 + ",\"payload\":\"" + Base64.getEncoder().encodeToString(mulaw)
            + "\"}}");
      }
      vox.send("{\"event\":\"stop\",\"sequenceNumber\":9,\"stop\":{\"mediaInfo\":{\"duration\":160,"
          + "\"bytesSent\":1280}}}");
      assertThat(vox.awaitClose(WAIT).getCode()).isEqualTo(1000);
    }
    assertThat(chunks(callId, 8)).hasSize(8).allSatisfy(c -> assertThat(c.getData().remaining()).isEqualTo(320));
    List<CallEvent> events = eventsUntilEnd(callId);
    CallStarted started = (CallStarted) events.get(0).getEvent();
    assertThat(started.getProvider()).isEqualTo("voximplant");
    assertThat(started.getLeadId()).isEqualTo("lead-9");
    assertThat(started.getParameters()).containsEntry("tag", "customer");
  }

  @Test
  void aStreamWithoutAValidTokenIsRefusedBeforeAnyAudio() {
    String callId = callId();
    double before = ingest.counter("sva.ingest.rejected", "reason", "unauthenticated");
    try (WsTestClient twilio = WsTestClient.connect(ingest.ws("/media/twilio"))) {
      twilio.send(TwilioStreamTest.start(callId, "forged.token"));
      twilio.send(media(callId, 0, new byte[160]));
      var status = twilio.awaitClose(WAIT);
      assertThat(status.getCode()).isEqualTo(1008);
      assertThat(status.getReason()).contains("token");
    }
    try (WsTestClient twilio = WsTestClient.connect(ingest.ws("/media/twilio"))) {
      twilio.send(media(callId, 0, new byte[160]));
      assertThat(twilio.awaitClose(WAIT).getCode()).isEqualTo(1008);
    }
    // a token for another call does not open this one
    try (WsTestClient pcm = WsTestClient.connect(ingest.ws("/media/pcm?callId=" + callId + "&token="
        + ingest.token("someone-else")))) {
      assertThat(pcm.awaitClose(WAIT).getCode()).isEqualTo(1008);
    }
    assertThat(ingest.counter("sva.ingest.rejected", "reason", "unauthenticated")).isGreaterThanOrEqualTo(before + 2);
    assertThat(ingest.counter("sva.ingest.rejected", "reason", "before_start")).isGreaterThanOrEqualTo(1);
    assertThat(ingest.bean(LiveCalls.class).get(callId)).isEmpty();
  }

  @Test
  void rawPcmWithoutATokenIsRefusedAtTheHandshake() {
    WsTestClient pcm = WsTestClient.connect(ingest.ws("/media/pcm?rate=8000"));
    assertThatThrownBy(() -> pcm.awaitClose(WAIT)).hasMessageContaining("401");
    pcm.close();
  }

  @Test
  void malformedJsonEndsOnlyItsOwnCallAndKeepsTheAudioBeforeIt() {
    String bad = callId();
    String good = callId();
    try (WsTestClient healthy = WsTestClient.connect(ingest.ws("/media/twilio"));
         WsTestClient broken = WsTestClient.connect(ingest.ws("/media/twilio"))) {
      healthy.send(TwilioStreamTest.start(good, ingest.token(good)));
      broken.send(TwilioStreamTest.start(bad, ingest.token(bad)));
      byte[] frame = G711.pcm16ToMulaw(tone(8000, 20, 0.1));
      for (int i = 0; i < 5; i++) {
        broken.send(media(bad, i, frame));
        healthy.send(media(good, i, frame));
      }
      broken.send("{\"event\":\"media\",\"media\":{\"payload\":");
      var status = broken.awaitClose(WAIT);
      assertThat(status.getCode()).isEqualTo(1007);
      assertThat(status.getReason()).contains("JSON");
      for (int i = 5; i < 10; i++) {
        healthy.send(media(good, i, frame));
      }
      healthy.send(TwilioStreamTest.stop(good));
      assertThat(healthy.awaitClose(WAIT).getCode()).isEqualTo(1000);
    }
    assertThat(chunks(bad, 5)).hasSize(5);
    CallEnded badEnd = ended(eventsUntilEnd(bad));
    assertThat(badEnd.getReason()).isEqualTo(CallEndReason.ERROR);
    assertThat(badEnd.getDetail()).contains("JSON");
    assertThat(chunks(good, 10)).hasSize(10);
    assertThat(ended(eventsUntilEnd(good)).getReason()).isEqualTo(CallEndReason.CUSTOMER_HANGUP);
  }

  @Test
  void badPayloadsAndUnknownThingsGetTheirOwnCloseCodes() {
    // an encoding we do not convert
    String opus = callId();
    try (WsTestClient twilio = WsTestClient.connect(ingest.ws("/media/twilio"))) {
      twilio.send(TwilioStreamTest.start(opus, ingest.token(opus)).replace("audio/x-mulaw", "audio/opus"));
      var status = twilio.awaitClose(WAIT);
      assertThat(status.getCode()).isEqualTo(1003);
      assertThat(status.getReason()).contains("audio/opus");
    }
    // an event the protocol does not have
    String unknown = callId();
    try (WsTestClient twilio = WsTestClient.connect(ingest.ws("/media/twilio"))) {
      twilio.send(TwilioStreamTest.start(unknown, ingest.token(unknown)));
      twilio.send("{\"event\":\"teleport\",\"streamSid\":\"MZ1\"}");
      assertThat(twilio.awaitClose(WAIT).getCode()).isEqualTo(1003);
    }
    assertThat(ended(eventsUntilEnd(unknown)).getDetail()).contains("teleport");
    // a payload that is not base64
    String base64 = callId();
    try (WsTestClient twilio = WsTestClient.connect(ingest.ws("/media/twilio"))) {
      twilio.send(TwilioStreamTest.start(base64, ingest.token(base64)));
      twilio.send("{\"event\":\"media\",\"media\":{\"payload\":\"***not base64***\"}}");
      assertThat(twilio.awaitClose(WAIT).getCode()).isEqualTo(1007);
    }
    // a frame above sva.ingest.max-frame-bytes
    String big = callId();
    try (WsTestClient pcm = WsTestClient.connect(ingest.ws("/media/pcm?rate=8000&token=" + ingest.token(big)))) {
      pcm.send(new byte[320]);
      pcm.send(new byte[10_000]);
      var status = pcm.awaitClose(WAIT);
      assertThat(status.getCode()).isEqualTo(1009);
      assertThat(status.getReason()).contains("8192");
    }
    assertThat(chunks(big, 1)).hasSize(1);
    // half a sample
    String odd = callId();
    try (WsTestClient pcm = WsTestClient.connect(ingest.ws("/media/pcm?rate=8000&token=" + ingest.token(odd)))) {
      pcm.send(new byte[321]);
      assertThat(pcm.awaitClose(WAIT).getCode()).isEqualTo(1007);
    }
    // a sample rate we do not take
    String rate = callId();
    try (WsTestClient pcm = WsTestClient.connect(ingest.ws("/media/pcm?rate=44100&token=" + ingest.token(rate)))) {
      var status = pcm.awaitClose(WAIT);
      assertThat(status.getCode()).isEqualTo(1003);
      assertThat(status.getReason()).contains("44100");
    }
    assertThat(ingest.counter("sva.ingest.rejected", "reason", "frame_too_big")).isGreaterThanOrEqualTo(1);
    assertThat(ingest.counter("sva.ingest.rejected", "reason", "malformed_frame")).isGreaterThanOrEqualTo(2);
    assertThat(ingest.counter("sva.ingest.rejected", "reason", "unknown_codec")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aClientStillStreamingWhenItsStreamIsRefusedReadsTheCloseCode() throws Exception {
    String big = callId();
    try (RawWebSocket pcm = RawWebSocket.connect(ingest.ws("/media/pcm?rate=8000&token=" + ingest.token(big)))) {
      pcm.send(RawWebSocket.BINARY, new byte[320]);
      pcm.send(RawWebSocket.BINARY, new byte[10_000]);
      // a second of 20 ms frames written without reading: the refusal is on its way meanwhile
      for (int i = 0; i < 50; i++) {
        pcm.send(RawWebSocket.BINARY, new byte[320]);
        Thread.sleep(20);
      }
      RawWebSocket.Frame close = pcm.read();
      assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
      assertThat(close.closeCode()).isEqualTo(1009);
      assertThat(close.closeReason()).contains("8192");
      pcm.send(RawWebSocket.CLOSE, close.payload());
      assertThat(pcm.serverClosed()).isTrue();
    }
    assertThat(ended(eventsUntilEnd(big)).getReason()).isEqualTo(CallEndReason.ERROR);
  }

  @Test
  void aClientThatGoesSilentWithoutStopEndsWithIdleTimeout() {
    String callId = callId();
    try (WsTestClient twilio = WsTestClient.connect(ingest.ws("/media/twilio"))) {
      twilio.send(TwilioStreamTest.start(callId, ingest.token(callId)));
      twilio.send(media(callId, 0, new byte[160]));
      var status = twilio.awaitClose(Duration.ofSeconds(10));
      assertThat(status.getCode()).isEqualTo(4408);
    }
    CallEnded end = ended(eventsUntilEnd(callId));
    assertThat(end.getReason()).isEqualTo(CallEndReason.IDLE_TIMEOUT);
    assertThat(ingest.bean(LiveCalls.class).get(callId)).isEmpty();
  }

  @Test
  void aSecondConnectionForALiveCallIsRefused() {
    String callId = callId();
    try (WsTestClient first = WsTestClient.connect(ingest.ws("/media/twilio"));
         WsTestClient second = WsTestClient.connect(ingest.ws("/media/twilio"))) {
      first.send(TwilioStreamTest.start(callId, ingest.token(callId)));
      for (int i = 0; i < 50 && ingest.bean(LiveCalls.class).get(callId).isEmpty(); i++) {
        IngestInstance.sleep(20);
      }
      second.send(TwilioStreamTest.start(callId, ingest.token(callId)));
      assertThat(second.awaitClose(WAIT).getCode()).isEqualTo(4409);
      assertThat(ingest.bean(LiveCalls.class).get(callId)).isPresent();
      first.send(TwilioStreamTest.stop(callId));
      assertThat(first.awaitClose(WAIT).getCode()).isEqualTo(1000);
    }
  }
}
