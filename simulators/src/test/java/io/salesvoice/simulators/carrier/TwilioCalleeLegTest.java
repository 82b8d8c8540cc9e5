package io.salesvoice.simulators.carrier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.salesvoice.platform.security.CallTokens;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.Disposable;

/** The carrier's leg against a local WebSocket server that answers as ingest-audio's Twilio endpoint does. */
class TwilioCalleeLegTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final CalleeScript.Timing TIMING = new CalleeScript.Timing(300, 3000, 1);

  private final TestEdge edge = new TestEdge();
  private final SimulatedCall report = new SimulatedCall("call-7", "camp-1", "lead-7", "interested", "mix", "en-US");
  private final AtomicReference<TwilioCalleeLeg.Result> result = new AtomicReference<>();
  private Disposable running;

  @AfterEach
  void tearDown() {
    if (running != null) {
      running.dispose();
    }
    edge.close();
  }

  private void call(Map<String, String> parameters, List<CalleeScript.Utterance> lines, boolean speaksFirst,
                    CalleeScript.Timing timing) {
    TwilioCalleeLeg leg = new TwilioCalleeLeg(new ReactorNettyWebSocketClient(), edge.uri(),
        System::currentTimeMillis, Duration.ofMinutes(1), Duration.ofSeconds(2));
    running = leg.run("call-7", parameters,
            now -> new CalleeScript(lines, Tones.line("hello", 200), speaksFirst, timing, report, now))
        .subscribe(result::set);
  }

  private TwilioCalleeLeg.Result awaitResult() {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (result.get() == null && System.nanoTime() < deadline) {
      TestEdge.sleep(10);
    }
    assertThat(result.get()).as("the leg ended").isNotNull();
    return result.get();
  }

  @Test
  void aWholeConversation() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    CallTokens tokens = new CallTokens(secret, Clock.systemUTC());
    call(Map.of("token", tokens.issue("call-7", Duration.ofMinutes(5)), "callId", "call-7", "carrier", "simulated",
        "answeredBy", "human"), Tones.lines(2, 400), false, TIMING);

    // connected, then start with the call's parameters and a token the edge accepts
    int start = edge.await(f -> f.event().equals("start"), 0, WAIT);
    assertThat(edge.received.get(0).event()).isEqualTo("connected");
    JsonNode s = edge.received.get(start).json().path("start");
    assertThat(s.path("mediaFormat").path("encoding").asText()).isEqualTo("audio/x-mulaw");
    assertThat(s.path("mediaFormat").path("sampleRate").asInt()).isEqualTo(8000);
    JsonNode custom = s.path("customParameters");
    assertThat(tokens.verify(custom.path("token").asText())).hasValueSatisfying(g ->
        assertThat(g.callId()).isEqualTo("call-7"));
    assertThat(custom.path("carrier").asText()).isEqualTo("simulated");
    assertThat(custom.path("answeredBy").asText()).isEqualTo("human");

    // the line stays silent until the agent's greeting is over
    TestEdge.sleep(400);
    assertThat(edge.received.stream().filter(f -> f.event().equals("media"))).isNotEmpty()
        .allSatisfy(f -> assertThat(f.isSilence()).isTrue());
    edge.sendAgentAudio(10);
    edge.sendMark("turn-1");
    long markAt = System.nanoTime();
    int voice = edge.await(TestEdge.Frame::isVoice, start, WAIT);
    // after the mark a human pause (300 ms) goes by before the customer speaks
    assertThat((edge.received.get(voice).atNanos() - markAt) / 1_000_000).isGreaterThanOrEqualTo(250);
    int quiet = edge.await(TestEdge.Frame::isSilence, voice, WAIT);
    assertThat(quiet - voice).isEqualTo(20);   // a 400 ms line: 20 frames of voice

    // the agent answers after a while, then is cleared (barge-in): the customer goes on without waiting for a mark
    TestEdge.sleep(500);
    edge.sendAgentAudio(5);
    edge.sendClear();
    int second = edge.await(TestEdge.Frame::isVoice, quiet, WAIT);
    int afterSecond = edge.await(TestEdge.Frame::isSilence, second, WAIT);

    // the agent's closing turn; the persona has nothing left to say: stop
    edge.sendAgentAudio(10);
    edge.sendMark("turn-3");
    int stop = edge.await(f -> f.event().equals("stop"), afterSecond, WAIT);
    assertThat(awaitResult().outcome()).isEqualTo("customer-hung-up");
    assertThat(result.get().closeCode()).isEqualTo(1000);
    assertThat(result.get().edgeWroteNoEnd()).isFalse();

    // paced in real time: n frames took about n × 20 ms, not a burst
    List<TestEdge.Frame> media = edge.received.subList(start + 1, stop);
    assertThat(media).allSatisfy(f -> assertThat(f.event()).isEqualTo("media"));
    long spanMs = (media.get(media.size() - 1).atNanos() - media.get(0).atNanos()) / 1_000_000;
    assertThat(spanMs).isBetween((media.size() - 1) * 20L * 8 / 10, (media.size() - 1) * 20L * 12 / 10 + 100);
    for (int i = 0; i < media.size(); i++) {
      assertThat(media.get(i).json().path("media").path("timestamp").asLong()).isEqualTo(i * 20L);
      assertThat(media.get(i).json().path("media").path("track").asText()).isEqualTo("inbound");
    }

    // the report: two turns, each with the voice-to-voice latency the customer heard
    List<SimulatedCall.Turn> turns = report.turns();
    assertThat(turns).hasSize(2);
    assertThat(turns.get(0).voiceToVoiceMs()).isBetween(450L, 2000L);
    assertThat(turns.get(0).bargedIn()).isTrue();
    assertThat(turns.get(1).voiceToVoiceMs()).isNotNull().isGreaterThanOrEqualTo(0L);
    assertThat(report.view().greetingAfterMs()).isNotNull();
  }

  @Test
  void theEdgeHangingUpEndsTheCall() {
    call(Map.of(), Tones.lines(3, 200), false, TIMING);
    edge.await(f -> f.event().equals("media"), 0, WAIT);
    edge.closeWith(1000, "agent hung up");
    TwilioCalleeLeg.Result r = awaitResult();
    assertThat(r.outcome()).as(r.detail()).isEqualTo("agent-hung-up");
    assertThat(r.edgeWroteNoEnd()).isFalse();
  }

  @Test
  void aStreamTheEdgeRefusesBeforeStartIsReportedForTheCarrierToEnd() {
    call(Map.of(), Tones.lines(1, 200), false, TIMING);
    edge.await(f -> f.event().equals("start"), 0, WAIT);
    edge.closeWith(1008, "missing, invalid or expired media token");
    TwilioCalleeLeg.Result r = awaitResult();
    assertThat(r.outcome()).isEqualTo("error");
    assertThat(r.closeCode()).isEqualTo(1008);
    assertThat(r.detail()).contains("1008").contains("media token");
    assertThat(r.edgeWroteNoEnd()).isTrue();
  }

  @Test
  void anUnreachableEdgeIsAnErrorNotACrash() {
    edge.close();
    call(Map.of(), Tones.lines(1, 200), false, TIMING);
    TwilioCalleeLeg.Result r = awaitResult();
    assertThat(r.outcome()).isEqualTo("error");
    assertThat(r.detail()).contains("cannot reach the ingest edge");
    assertThat(r.edgeWroteNoEnd()).isTrue();
  }

  @Test
  void aSilentAgentGetsHelloThenTheCustomerHangsUpWithStop() {
    call(Map.of(), Tones.lines(1, 200), false, new CalleeScript.Timing(300, 300, 1));
    int stop = edge.await(f -> f.event().equals("stop"), 0, WAIT);
    assertThat(edge.received.subList(0, stop).stream().filter(TestEdge.Frame::isVoice).count()).isEqualTo(10);
    assertThat(awaitResult().outcome()).isEqualTo("agent-silent");
    assertThat(report.turns()).extracting(SimulatedCall.Turn::line).containsExactly("hello");
  }
}
