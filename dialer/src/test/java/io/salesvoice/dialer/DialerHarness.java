package io.salesvoice.dialer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.schema.call.AnsweredBy;
import io.salesvoice.schema.call.CallAnswered;
import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.call.CallEnded;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.dialer.CallRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * A dialer on fresh topics of the test broker: the API's service, the engine (restartable), a read-committed reader
 * of the requests it writes, and a way to play the telephony adapter by writing call events.
 */
final class DialerHarness implements AutoCloseable {

  /** Fewer partitions than the catalogue's 6: the same rules, fewer transactional producers to start per test. */
  static final int PARTITIONS = 3;

  final KafkaStack stack;
  final StackClients clients;
  final DialerTopics topics;
  /** Calls without an end this long after their request are ended by the dialer. */
  static final Duration MAX_CALL_DURATION = Duration.ofMinutes(30);

  final TestClock clock;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final RecordSender sender;
  final String groupId = "dialer-test-" + UUID.randomUUID();
  final Duration answerMargin;
  DialerState state;
  DialerMetrics metrics;
  CampaignService service;
  DialerEngine engine;
  private final KafkaConsumer<String, Object> requestReader;
  private final List<CallRequest> requests = new ArrayList<>();

  DialerHarness(KafkaStack stack, Instant start, Duration answerMargin) {
    this.stack = stack;
    this.clients = new StackClients(stack);
    this.clock = new TestClock(start);
    this.answerMargin = answerMargin;
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    this.topics = new DialerTopics("t.campaigns-" + suffix, "t.leads-" + suffix, "t.lead.state-" + suffix,
        "t.dnc-" + suffix, "t.calls-" + suffix, "t.requests-" + suffix);
    clients.createTopics(PARTITIONS, topics.campaigns(), topics.leads(), topics.leadState());
    clients.createTopics(1, topics.doNotCall());
    clients.createTopics(3, topics.calls(), topics.requests());
    KafkaSettings settings = clients.settings();
    this.sender = RecordSender.create(settings);
    Map<String, Object> config = new HashMap<>(settings.consumerConfig("reader"));
    config.putAll(settings.serdeConfig());
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, settings.valueDeserializer());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.requestReader = new KafkaConsumer<>(config);
    List<TopicPartition> ps = List.of(new TopicPartition(topics.requests(), 0), new TopicPartition(topics.requests(), 1),
        new TopicPartition(topics.requests(), 2));
    requestReader.assign(ps);
    requestReader.seekToBeginning(ps);
    newInstance();
  }

  /** A fresh dialer process: empty memory, state restored from the topics only. */
  void newInstance() {
    state = new DialerState();
    metrics = new DialerMetrics(meters, () -> engine == null ? 0 : engine.callsInProgress());
    service = new CampaignService(state, sender, topics, PARTITIONS, 1000, clock, metrics);
  }

  DialerEngine startEngine() {
    engine = new DialerEngine(clients.settings(), topics, state,
        new DialerEngine.Settings(groupId, PARTITIONS, answerMargin, Duration.ofHours(1), MAX_CALL_DURATION), clock,
        metrics).start();
    return engine;
  }

  void stopEngine() {
    if (engine != null) {
      engine.close();
      engine = null;
    }
  }

  /** Every request written so far, in the order read. */
  synchronized List<CallRequest> requests() {
    requestReader.poll(Duration.ofMillis(50)).forEach(r -> requests.add((CallRequest) r.value()));
    return List.copyOf(requests);
  }

  List<CallRequest> awaitRequests(Predicate<List<CallRequest>> done, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    List<CallRequest> now = requests();
    while (!done.test(now) && Instant.now().isBefore(deadline)) {
      now = requests();
    }
    if (!done.test(now)) {
      throw new AssertionError("requests did not arrive in " + timeout + "; have " + now.size() + ": "
          + now.stream().map(CallRequest::getCallId).toList());
    }
    return now;
  }

  List<CallRequest> awaitRequestCount(int n) {
    return awaitRequests(l -> l.size() >= n, Duration.ofSeconds(20));
  }

  void answered(CallRequest r, AnsweredBy by) {
    send(r, new CallAnswered(by));
  }

  void ended(CallRequest r, CallEndReason reason) {
    send(r, CallEnded.newBuilder().setReason(reason).setDurationMs(1000).build());
  }

  private void send(CallRequest r, Object event) {
    clients.send(topics.calls(), r.getCallId(), CallEvent.newBuilder()
        .setCallId(r.getCallId())
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(clock.instant())
        .setCampaignId(r.getCampaignId())
        .setEvent(event)
        .build());
  }

  static byte[] csv(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A CSV of {@code n} leads in {@code zone}, numbers +7999000NNNN. */
  static byte[] leads(int n, String zone) {
    StringBuilder b = new StringBuilder("name,phone,timezone,language\n");
    for (int i = 0; i < n; i++) {
      b.append("Lead ").append(i).append(",+7999000").append(String.format("%04d", i)).append(',').append(zone)
          .append(",ru-RU\n");
    }
    return csv(b.toString());
  }

  static CampaignService.CampaignRequest campaign(String id, int maxConcurrent, double perSecond,
                                                  CampaignService.Retries retries) {
    return new CampaignService.CampaignRequest(id, "Campaign " + id, "solar-ru", "ru-RU",
        new CampaignService.Hours("09:00", "20:00"), maxConcurrent, perSecond, 30, retries);
  }

  @Override
  public void close() {
    stopEngine();
    requestReader.close();
    sender.close();
    clients.close();
  }
}
