package io.salesvoice.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.kafka.Stage;
import io.salesvoice.platform.security.CallTokens;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.call.CallEnded;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.deadletter.DeadLetter;
import io.salesvoice.schema.dialer.CallRequest;
import io.salesvoice.schema.telephony.PlacedCall;
import io.salesvoice.schema.telephony.PlacementStatus;
import io.salesvoice.telephony.domain.Originator;
import io.salesvoice.telephony.ledger.KafkaPlacementLedger;
import io.salesvoice.telephony.voximplant.SimulatedVoximplantApi;
import io.salesvoice.telephony.voximplant.SimulatedVoximplantApi.Answer;
import io.salesvoice.telephony.voximplant.VoximplantCallPlacer;
import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;

/** The origination stage on the real broker and registry, placing calls through the simulated Voximplant API. */
@ExtendWith(LocalStackExtension.class)
class OriginationStageTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String PHONE = "+79991234567";

  private final KafkaStack stack;
  private StackClients clients;
  private RecordSender sender;
  private SimulatedVoximplantApi voximplant;
  private OriginationStage.TelephonyTopics topics;
  private String group;
  private CallTokens mediaTokens;
  private CallTokens callbackTokens;
  private final List<Stage.Outcome> outcomes = new CopyOnWriteArrayList<>();
  private final List<Instance> instances = new CopyOnWriteArrayList<>();

  OriginationStageTest(KafkaStack stack) {
    this.stack = stack;
  }

  /** One running telephony instance: its own ledger reader and Voximplant client, as after a restart. */
  private record Instance(Disposable stage, KafkaPlacementLedger ledger) {
    void kill() {
      stage.dispose();
      ledger.close();
    }
  }

  @BeforeEach
  void setUp() {
    clients = new StackClients(stack);
    sender = RecordSender.create(clients.settings());
    voximplant = new SimulatedVoximplantApi();
    topics = new OriginationStage.TelephonyTopics(clients.createTopicWithDeadLetters("dialer-requests", 3),
        clients.createTopicWithDeadLetters("calls", 3), clients.createTopicWithDeadLetters("placed", 3));
    group = "telephony-" + UUID.randomUUID();
    mediaTokens = new CallTokens(randomSecret(), Clock.systemUTC());
    callbackTokens = new CallTokens(randomSecret(), Clock.systemUTC());
  }

  @AfterEach
  void tearDown() {
    instances.forEach(Instance::kill);
    voximplant.close();
    sender.close();
    clients.close();
  }

  private static byte[] randomSecret() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return secret;
  }

  private Instance start(int maxAttempts) {
    KafkaPlacementLedger ledger = new KafkaPlacementLedger(clients.settings(), topics.placed(), sender);
    VoximplantCallPlacer placer = new VoximplantCallPlacer(WebClient.builder(), voximplant.serviceAccount(),
        new VoximplantCallPlacer.Settings(voximplant.url(), voximplant.ruleId, Duration.ofSeconds(10), maxAttempts,
            Duration.ofMillis(20), Duration.ofMillis(100), 10, Duration.ofSeconds(5)), new SimpleMeterRegistry());
    Originator originator = new Originator(ledger, placer, mediaTokens, callbackTokens,
        new Originator.Settings("wss://ingest.example.com/media/voximplant",
            "https://telephony.example.com/api/voximplant/events", "+74950000000", Duration.ofMinutes(5), 65_536),
        Clock.systemUTC());
    Disposable stage = new OriginationStage(topics, originator, sender, new SimpleMeterRegistry())
        .build(clients.settings(), group, 4, Duration.ofMillis(100), Duration.ofMillis(500), ledger::catchUp)
        .run().subscribe(outcomes::add);
    Instance instance = new Instance(stage, ledger);
    instances.add(instance);
    return instance;
  }

  private static CallRequest request(String callId, String phone, Duration expiresIn) {
    Instant now = Instant.now();
    return CallRequest.newBuilder()
        .setCallId(callId).setCampaignId("spring-promo").setLeadId("lead-" + callId).setAttempt(1)
        .setPhoneNumber(phone).setLanguage("ru-RU").setScriptId("sales-ru")
        .setParameters(Map.of("name", "Ivan", "product", "basic"))
        .setRequestedAt(now).setExpiresAt(now.plus(expiresIn)).setRingTimeoutSeconds(25)
        .build();
  }

  private void send(CallRequest r) {
    clients.send(topics.requests(), r.getCallId(), r);
  }

  private void awaitOutcomes(int n) {
    await().atMost(WAIT).until(() -> outcomes.size() >= n);
  }

  private List<ConsumerRecord<String, Object>> read(String topic, int count) {
    return clients.read(topic, count, WAIT);
  }

  /** What is in {@code topic} once the records that matter were processed (their outcomes are known). */
  private List<ConsumerRecord<String, Object>> readAfterProcessing(String topic) {
    return clients.read(topic, 1, Duration.ofSeconds(3));
  }

  @Test
  void aRequestStartsOneScenarioWithWhatItNeedsToDialAndStreamTheCall() {
    start(3);
    send(request("call-1", PHONE, Duration.ofMinutes(10)));

    awaitOutcomes(1);
    assertThat(outcomes.get(0).result()).isEqualTo(Stage.Result.PROCESSED);
    assertThat(voximplant.starts).hasSize(1);
    JsonNode data = voximplant.starts.get(0).customData();
    assertThat(data.path("callId").asText()).isEqualTo("call-1");
    assertThat(data.path("phoneNumber").asText()).isEqualTo(PHONE);
    assertThat(data.path("callerId").asText()).isEqualTo("+74950000000");
    assertThat(data.path("campaignId").asText()).isEqualTo("spring-promo");
    assertThat(data.path("leadId").asText()).isEqualTo("lead-call-1");
    assertThat(data.path("language").asText()).isEqualTo("ru-RU");
    assertThat(data.path("scriptId").asText()).isEqualTo("sales-ru");
    assertThat(data.path("parameters").path("name").asText()).isEqualTo("Ivan");
    assertThat(data.path("ringTimeoutSeconds").asInt()).isEqualTo(25);
    assertThat(data.path("mediaUrl").asText()).isEqualTo("wss://ingest.example.com/media/voximplant");
    CallTokens.Grant media = mediaTokens.verify(data.path("mediaToken").asText()).orElseThrow();
    assertThat(media.callId()).isEqualTo("call-1");
    long expected = Instant.now().plus(Duration.ofMinutes(10)).plusSeconds(25).getEpochSecond();
    assertThat(media.expiresAtEpochSecond()).isBetween(expected - 30, expected + 1);
    assertThat(callbackTokens.verify(data.path("callbackToken").asText()).orElseThrow().callId()).isEqualTo("call-1");
    assertThat(mediaTokens.verify(data.path("callbackToken").asText())).as("tokens are not interchangeable").isEmpty();

    List<PlacedCall> ledger = read(topics.placed(), 2).stream().map(r -> (PlacedCall) r.value()).toList();
    assertThat(ledger).extracting(PlacedCall::getStatus).containsExactly(PlacementStatus.ATTEMPTING,
        PlacementStatus.PLACED);
    assertThat(ledger.get(1).getProviderSessionId()).isEqualTo(Long.toString(voximplant.starts.get(0).sessionId()));
  }

  @Test
  void aRedeliveredRequestStartsNoSecondCallNotEvenOnAnotherInstance() {
    Instance first = start(3);
    send(request("call-2", PHONE, Duration.ofMinutes(10)));
    send(request("call-2", PHONE, Duration.ofMinutes(10)));
    awaitOutcomes(2);
    first.kill();

    start(3);   // a new instance: its ledger is read from the topic
    send(request("call-2", PHONE, Duration.ofMinutes(10)));
    awaitOutcomes(3);

    assertThat(voximplant.starts).hasSize(1);
    assertThat(outcomes).extracting(Stage.Outcome::result).containsOnly(Stage.Result.PROCESSED);
    assertThat(readAfterProcessing(topics.calls())).as("nothing tells the dialer the call ended").isEmpty();
  }

  @Test
  void anExpiredRequestIsNotPlacedAndTheDialerIsToldItEnded() {
    start(3);
    send(request("call-3", PHONE, Duration.ofSeconds(-1)));

    ConsumerRecord<String, Object> record = read(topics.calls(), 1).get(0);
    CallEvent event = (CallEvent) record.value();
    assertThat(record.key()).isEqualTo("call-3");
    assertThat(event.getCampaignId()).isEqualTo("spring-promo");
    CallEnded ended = (CallEnded) event.getEvent();
    assertThat(ended.getReason()).isEqualTo(CallEndReason.ERROR);
    assertThat(ended.getDetail()).isEqualTo("expired before it was placed");
    assertThat(voximplant.requests).hasValue(0);
  }

  @Test
  void aCallVoximplantRefusesIsDeadLetteredWithItsCodeAndEndedForTheDialer() {
    voximplant.close();
    voximplant = new SimulatedVoximplantApi();
    // A placer whose rule Voximplant does not know: error 101 on every attempt.
    KafkaPlacementLedger ledger = new KafkaPlacementLedger(clients.settings(), topics.placed(), sender);
    VoximplantCallPlacer placer = new VoximplantCallPlacer(WebClient.builder(), voximplant.serviceAccount(),
        new VoximplantCallPlacer.Settings(voximplant.url(), 999, Duration.ofSeconds(10), 3, Duration.ofMillis(20),
            Duration.ofMillis(100), 10, Duration.ofSeconds(5)), new SimpleMeterRegistry());
    Originator originator = new Originator(ledger, placer, mediaTokens, callbackTokens,
        new Originator.Settings("wss://i/media/voximplant", "https://t/api/voximplant/events", "+74950000000",
            Duration.ofMinutes(5), 65_536), Clock.systemUTC());
    instances.add(new Instance(new OriginationStage(topics, originator, sender, new SimpleMeterRegistry())
        .build(clients.settings(), group, 4, Duration.ofMillis(100), Duration.ofMillis(500), ledger::catchUp)
        .run().subscribe(outcomes::add), ledger));

    send(request("call-4", PHONE, Duration.ofMinutes(10)));

    DeadLetter letter = (DeadLetter) read(Topics.deadLetterOf(topics.requests()), 1).get(0).value();
    assertThat(letter.getKey()).isEqualTo("call-4");
    assertThat(letter.getReason()).contains("101").contains("999").contains("voximplant refused the call");
    CallEnded ended = (CallEnded) ((CallEvent) read(topics.calls(), 1).get(0).value()).getEvent();
    assertThat(ended.getReason()).isEqualTo(CallEndReason.ERROR);
    assertThat(ended.getDetail()).contains("101");
    assertThat(voximplant.requests).as("a refusal is not retried").hasValue(1);
  }

  @Test
  void anInvalidNumberIsRefusedWithoutAskingVoximplant() {
    start(3);
    send(request("call-5", "8 999 123-45-67", Duration.ofMinutes(10)));

    DeadLetter letter = (DeadLetter) read(Topics.deadLetterOf(topics.requests()), 1).get(0).value();
    assertThat(letter.getReason()).contains("INVALID_NUMBER").contains("E.164").doesNotContain("123-45-67");
    assertThat(((CallEnded) ((CallEvent) read(topics.calls(), 1).get(0).value()).getEvent()).getReason())
        .isEqualTo(CallEndReason.ERROR);
    assertThat(voximplant.requests).hasValue(0);
  }

  @Test
  void limitsAndOutagesAreRetriedAndTheCallIsPlacedOnce() {
    // Two attempts per processing: the first processing gives up after 429 + 503 (NOT_PLACED), the stage retries the
    // record, and the second processing gets a media server error and then the start.
    voximplant.script(Answer.RATE_LIMITED, Answer.UNAVAILABLE_503, Answer.MEDIA_SERVER_ERROR);
    start(2);
    send(request("call-6", PHONE, Duration.ofMinutes(10)));

    awaitOutcomes(1);
    assertThat(outcomes.get(0).result()).isEqualTo(Stage.Result.PROCESSED);
    assertThat(voximplant.requests).hasValue(4);
    assertThat(voximplant.starts).hasSize(1);
    List<PlacementStatus> ledger = read(topics.placed(), 4).stream().map(r -> ((PlacedCall) r.value()).getStatus())
        .toList();
    assertThat(ledger).containsExactly(PlacementStatus.ATTEMPTING, PlacementStatus.NOT_PLACED,
        PlacementStatus.ATTEMPTING, PlacementStatus.PLACED);
  }

  @Test
  void aRequestWhosePlacementMayHaveHappenedIsNeverPlacedAgain() {
    // A previous instance wrote ATTEMPTING and died before Voximplant answered.
    clients.send(topics.placed(), "call-7", PlacedCall.newBuilder().setCallId("call-7").setCampaignId("spring-promo")
        .setProvider("voximplant").setStatus(PlacementStatus.ATTEMPTING).setUpdatedAt(Instant.now()).build());
    start(3);
    send(request("call-7", PHONE, Duration.ofMinutes(10)));

    DeadLetter letter = (DeadLetter) read(Topics.deadLetterOf(topics.requests()), 1).get(0).value();
    assertThat(letter.getReason()).contains("placement uncertain").contains("not started again");
    awaitOutcomes(1);
    assertThat(outcomes.get(0).result()).isEqualTo(Stage.Result.DEAD_LETTERED);
    assertThat(voximplant.requests).hasValue(0);
    assertThat(readAfterProcessing(topics.calls())).as("the call may be ringing: nobody ends it here").isEmpty();
  }

  @Test
  void aRequestTheDialerAbortedIsNeverPlaced() {
    start(3);
    Map<String, Object> config = new HashMap<>(clients.settings().producerConfig());
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "dialer-" + UUID.randomUUID());
    try (KafkaProducer<String, Object> dialer = new KafkaProducer<>(config)) {
      dialer.initTransactions();
      dialer.beginTransaction();
      dialer.send(new ProducerRecord<>(topics.requests(), 0, "call-aborted", request("call-aborted", PHONE,
          Duration.ofMinutes(10))));
      dialer.flush();
      dialer.abortTransaction();
      dialer.beginTransaction();
      dialer.send(new ProducerRecord<>(topics.requests(), 0, "call-8", request("call-8", PHONE, Duration.ofMinutes(10))));
      dialer.commitTransaction();
    }

    // Both in one partition, the aborted one first: had it been read, it would have been processed first.
    awaitOutcomes(1);
    assertThat(outcomes).extracting(Stage.Outcome::key).containsExactly("call-8");
    assertThat(voximplant.starts.get(0).customData().path("callId").asText()).isEqualTo("call-8");
  }

  private static final class Topics {
    static String deadLetterOf(String topic) {
      return io.salesvoice.platform.topics.Topics.deadLetterOf(topic);
    }
  }
}
