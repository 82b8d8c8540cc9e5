package io.salesvoice.simulators.carrier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.security.CallTokens;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.call.CallEnded;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.deadletter.DeadLetter;
import io.salesvoice.schema.dialer.CallRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.Disposable;

/** The carrier on the real broker and registry: CallRequests in, CallEnded out, dead letters, calls on a local edge. */
@ExtendWith(LocalStackExtension.class)
class SimulatedCarrierStageTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private final KafkaStack stack;
  private StackClients clients;
  private RecordSender sender;
  private SimulatedCarrier.CarrierTopics topics;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final byte[] secret = new byte[32];
  private final List<AutoCloseable> closeables = new ArrayList<>();

  SimulatedCarrierStageTest(KafkaStack stack) {
    this.stack = stack;
  }

  @BeforeEach
  void setUp() {
    new SecureRandom().nextBytes(secret);
    clients = new StackClients(stack);
    sender = RecordSender.create(clients.settings());
    topics = new SimulatedCarrier.CarrierTopics(clients.createTopicWithDeadLetters("dialer-requests", 2),
        clients.createTopicWithDeadLetters("calls", 2));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    sender.close();
    clients.close();
  }

  private SimulatedCarrier start(URI edge) {
    SimulatedCarrier carrier = carrier(edge);
    Disposable stage = carrier.stage(clients.settings(), "carrier-" + UUID.randomUUID()).start();
    closeables.add(0, stage::dispose);
    return carrier;
  }

  private SimulatedCarrier carrier(URI edge) {
    SimulatedCarrier.Settings settings = new SimulatedCarrier.Settings(Duration.ofMillis(200), Duration.ZERO,
        Duration.ofMinutes(5), 4, new CalleeScript.Timing(300, 3000, 1), Duration.ofMinutes(1), Duration.ofSeconds(2),
        100);
    TwilioCalleeLeg leg = new TwilioCalleeLeg(new ReactorNettyWebSocketClient(), edge, System::currentTimeMillis,
        Duration.ofMinutes(1), Duration.ofSeconds(2));
    SimulatedCarrier carrier = new SimulatedCarrier(topics, settings, Personas.load(Personas.DEFAULT_MIX),
        Tones.voice(), new CallTokens(secret, Clock.systemUTC()), leg, sender, meters);
    closeables.add(carrier);
    return carrier;
  }

  private static CallRequest request(String callId, String persona) {
    Map<String, String> parameters = new HashMap<>();
    if (persona != null) {
      parameters.put("persona", persona);
    }
    parameters.put("name", "John");
    return CallRequest.newBuilder().setCallId(callId).setCampaignId("spring-promo").setLeadId("lead-" + callId)
        .setAttempt(1).setPhoneNumber("+15551234567").setLanguage("en-US").setScriptId("sales-en")
        .setParameters(parameters).setRequestedAt(Instant.now()).setExpiresAt(Instant.now().plusSeconds(600))
        .setRingTimeoutSeconds(30).build();
  }

  private Map<String, CallEnded> ended(int count) {
    Map<String, CallEnded> out = new HashMap<>();
    for (ConsumerRecord<String, Object> r : clients.read(topics.calls(), count, WAIT)) {
      CallEvent e = (CallEvent) r.value();
      assertThat(r.key()).isEqualTo(e.getCallId());
      assertThat(e.getCampaignId()).isEqualTo("spring-promo");
      out.put(e.getCallId(), (CallEnded) e.getEvent());
    }
    return out;
  }

  @Test
  void callsThatNeverConnectEndAsNoAnswerOrBusyAndAbortedRequestsAreNotPlaced() {
    SimulatedCarrier carrier = start(URI.create("ws://127.0.0.1:9/media/twilio"));
    String noAnswer = "call-na-" + UUID.randomUUID();
    String busy = "call-busy-" + UUID.randomUUID();
    String aborted = "call-aborted-" + UUID.randomUUID();

    // the dialer writes in transactions: an aborted request must never ring
    Map<String, Object> config = new HashMap<>(clients.settings().producerConfig());
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "dialer-test-" + UUID.randomUUID());
    try (KafkaProducer<String, Object> dialer = new KafkaProducer<>(config)) {
      dialer.initTransactions();
      dialer.beginTransaction();
      dialer.send(new ProducerRecord<>(topics.requests(), aborted, request(aborted, "line-busy")));
      dialer.flush();
      dialer.abortTransaction();
      dialer.beginTransaction();
      dialer.send(new ProducerRecord<>(topics.requests(), noAnswer, request(noAnswer, "no-answer")));
      dialer.send(new ProducerRecord<>(topics.requests(), busy, request(busy, "line-busy")));
      dialer.commitTransaction();
    }

    Map<String, CallEnded> ended = ended(2);
    assertThat(ended).containsOnlyKeys(noAnswer, busy);
    assertThat(ended.get(noAnswer).getReason()).isEqualTo(CallEndReason.NO_ANSWER);
    assertThat(ended.get(noAnswer).getDetail()).startsWith("SIMULATED carrier");
    assertThat(ended.get(busy).getReason()).isEqualTo(CallEndReason.BUSY);
    assertThat(carrier.call(aborted)).isEmpty();
    assertThat(carrier.call(noAnswer).orElseThrow().view().outcome()).isEqualTo("no-answer");
    assertThat(meters.get("sva.carrier.calls").tags("carrier", "simulated", "persona", "line-busy", "outcome", "busy")
        .counter().count()).isEqualTo(1);

    // a repeated request names the same call: it rings once; its CallEnded is written again with the same eventId
    clients.send(topics.requests(), busy, request(busy, "line-busy"));
    String after = "call-after-" + UUID.randomUUID();
    clients.send(topics.requests(), after, request(after, "no-answer"));
    List<ConsumerRecord<String, Object>> all = clients.read(topics.calls(), 4, WAIT);
    assertThat(all).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(noAnswer, busy, busy, after);
    assertThat(all.stream().filter(r -> r.key().equals(busy)).map(r -> ((CallEvent) r.value()).getEventId())
        .distinct()).hasSize(1);
    assertThat(meters.get("sva.carrier.calls").tags("carrier", "simulated", "persona", "line-busy", "outcome", "busy")
        .counter().count()).isEqualTo(1);
  }

  @Test
  void malformedRequestsAreDeadLetteredAndTheConsumerGoesOn() {
    SimulatedCarrier carrier = start(URI.create("ws://127.0.0.1:9/media/twilio"));
    clients.sendRaw(topics.requests(), "garbage", "not avro at all".getBytes(StandardCharsets.UTF_8));
    String keyed = "call-k-" + UUID.randomUUID();
    clients.send(topics.requests(), "another-key", request(keyed, "no-answer"));
    clients.send(topics.requests(), "call|bar", request("call|bar", "no-answer"));
    String noLead = "call-nolead-" + UUID.randomUUID();
    CallRequest withoutLead = request(noLead, "no-answer");
    withoutLead.setLeadId("");
    clients.send(topics.requests(), noLead, withoutLead);
    String expired = "call-expired-" + UUID.randomUUID();
    CallRequest late = request(expired, "no-answer");
    late.setExpiresAt(Instant.now().minusSeconds(1));
    clients.send(topics.requests(), expired, late);
    String good = "call-good-" + UUID.randomUUID();
    clients.send(topics.requests(), good, request(good, "no-answer"));

    assertThat(ended(1)).containsOnlyKeys(good);
    List<ConsumerRecord<String, Object>> letters = clients.read(topics.requests() + ".dlq", 4, WAIT);
    assertThat(letters).hasSize(4);
    Map<String, String> reasons = new HashMap<>();
    letters.forEach(r -> reasons.put(r.key(), ((DeadLetter) r.value()).getReason()));
    assertThat(reasons.get("garbage")).contains("cannot be deserialized");
    assertThat(reasons.get("another-key")).contains("is not the value's call id");
    assertThat(reasons.get("call|bar")).contains("must not contain '|'");
    assertThat(reasons.get(noLead)).contains("has no leadId");
    // an expired request is not a bad record: it is consumed and not placed
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (carrier.call(expired).map(c -> c.outcome() == null).orElse(true) && System.nanoTime() < deadline) {
      TestEdge.sleep(20);
    }
    assertThat(carrier.call(expired).orElseThrow().outcome()).isEqualTo("expired");
    assertThat(clients.read(topics.calls(), 2, Duration.ofSeconds(2))).extracting(ConsumerRecord::key)
        .containsExactly(good);
    assertThat(letters).allSatisfy(r -> assertThat(((DeadLetter) r.value()).getStage())
        .isEqualTo(SimulatedCarrier.NAME));
  }

  @Test
  void aConnectingPersonaAnswersOnTheEdgeWithTheCallsParametersAndAToken() {
    try (TestEdge edge = new TestEdge()) {
      SimulatedCarrier carrier = start(edge.uri());
      String callId = "call-live-" + UUID.randomUUID();
      clients.send(topics.requests(), callId, request(callId, "interested"));

      int start = edge.await(f -> f.event().equals("start"), 0, WAIT);
      JsonNode p = edge.received.get(start).json().path("start").path("customParameters");
      assertThat(new CallTokens(secret, Clock.systemUTC()).verify(p.path("token").asText()))
          .hasValueSatisfying(g -> assertThat(g.callId()).isEqualTo(callId));
      assertThat(p.path("callId").asText()).isEqualTo(callId);
      assertThat(p.path("campaignId").asText()).isEqualTo("spring-promo");
      assertThat(p.path("leadId").asText()).isEqualTo("lead-" + callId);
      assertThat(p.path("phoneNumber").asText()).isEqualTo("+15551234567");
      assertThat(p.path("language").asText()).isEqualTo("en-US");
      assertThat(p.path("scriptId").asText()).isEqualTo("sales-en");
      assertThat(p.path("direction").asText()).isEqualTo("OUTBOUND");
      assertThat(p.path("carrier").asText()).isEqualTo("simulated");
      assertThat(p.path("answeredBy").asText()).isEqualTo("human");
      assertThat(p.path("persona").asText()).isEqualTo("interested");
      assertThat(p.path("name").asText()).isEqualTo("John");

      edge.sendAgentAudio(10);
      edge.sendMark("turn-1");
      int voice = edge.await(TestEdge.Frame::isVoice, start, WAIT);
      edge.await(TestEdge.Frame::isSilence, voice, WAIT);
      edge.sendAgentAudio(5);
      edge.closeWith(1000, "agent hung up");

      long deadline = System.nanoTime() + WAIT.toNanos();
      while (carrier.call(callId).orElseThrow().view().outcome() == null && System.nanoTime() < deadline) {
        TestEdge.sleep(20);
      }
      SimulatedCall.View view = carrier.call(callId).orElseThrow().view();
      assertThat(view.outcome()).as(view.detail()).isEqualTo("agent-hung-up");
      assertThat(view.persona()).isEqualTo("interested");
      assertThat(view.turns()).hasSize(1);
      assertThat(view.turns().get(0).line()).startsWith("yes");
      assertThat(view.turns().get(0).voiceToVoiceMs()).isNotNull();
      assertThat(meters.get("sva.carrier.voice_to_voice").tags("carrier", "simulated", "persona", "interested")
          .timer().count()).isEqualTo(1);
      // the edge wrote this call's lifecycle: the carrier wrote nothing to sva.calls
      assertThat(clients.read(topics.calls(), 1, Duration.ofSeconds(2))).isEmpty();
    }
  }

  @Test
  void aCallTheEdgeNeverStartedEndsWithAnErrorFromTheCarrier() {
    SimulatedCarrier carrier = start(URI.create("ws://127.0.0.1:9/media/twilio"));
    String callId = "call-unreachable-" + UUID.randomUUID();
    clients.send(topics.requests(), callId, request(callId, "busy"));
    CallEnded ended = ended(1).get(callId);
    assertThat(ended.getReason()).isEqualTo(CallEndReason.ERROR);
    assertThat(ended.getDetail()).contains("cannot reach the ingest edge");
    assertThat(carrier.call(callId).orElseThrow().view().outcome()).isEqualTo("error");
  }

  @Test
  void aVoicemailTellsTheEdgeAMachineAnswered() {
    SimulatedCarrier carrier = carrier(URI.create("ws://127.0.0.1:9/media/twilio"));
    Persona voicemail = Personas.load(Personas.DEFAULT_MIX).get("voicemail").orElseThrow();
    Map<String, String> p = carrier.streamParameters(request("call-vm", null), voicemail);
    assertThat(p).containsEntry("answeredBy", "machine").containsEntry("carrier", "simulated")
        .containsEntry("persona", "voicemail").containsKey("token");
  }
}
