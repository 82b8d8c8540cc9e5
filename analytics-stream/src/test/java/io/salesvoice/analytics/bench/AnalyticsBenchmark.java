package io.salesvoice.analytics.bench;

import static io.salesvoice.analytics.Records.answered;
import static io.salesvoice.analytics.Records.crm;
import static io.salesvoice.analytics.Records.ended;
import static io.salesvoice.analytics.Records.said;
import static io.salesvoice.analytics.Records.started;
import static io.salesvoice.analytics.Records.turn;

import io.salesvoice.analytics.domain.Contributions;
import io.salesvoice.analytics.state.CallState;
import io.salesvoice.analytics.state.CampaignAggregate;
import io.salesvoice.analytics.topology.AnalyticsSerdes;
import io.salesvoice.analytics.topology.AnalyticsTopology;
import io.salesvoice.analytics.topology.SkippedRecords;
import io.salesvoice.analytics.topology.TopologySettings;
import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.topics.TopicProvisioner;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.schema.call.AnsweredBy;
import io.salesvoice.schema.call.CallDirection;
import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.crm.CrmStatus;
import io.salesvoice.schema.dialog.DialogAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How many events a second the topology sustains on this machine, and how soon an event is queryable, on the real
 * in-process broker and registry. Not part of the default build: run it with
 * {@code ./mvnw -B -ntp -o -pl analytics-stream verify -Dgroups=benchmark -Danalytics.excludedGroups=none
 * -Dtest=AnalyticsBenchmark -Dsurefire.failIfNoSpecifiedTests=false} (sizes: {@code -Dsva.bench.events=300000},
 * {@code -Dsva.bench.warmup.events=150000}, {@code -Dsva.bench.freshness.seconds=20},
 * {@code -Dsva.bench.freshness.rate=300}, {@code -Dsva.bench.guarantee=at_least_once}, {@code -Dsva.bench.commit.ms=1000},
 * {@code -Dsva.bench.threads=2}, any Kafka Streams property as {@code -Dsva.bench.streams.<name>=<value>}).
 */
@Tag("benchmark")
@ExtendWith(LocalStackExtension.class)
class AnalyticsBenchmark {

  /** started, answered, 8 × (final transcript + a two-sentence turn), a CRM result, ended. */
  static final int EVENTS_PER_CALL = 2 + 8 * 3 + 1 + 1;
  private static final List<String> INPUTS = List.of(Topics.CALLS, Topics.TRANSCRIPTS, Topics.DIALOG_TURNS,
      Topics.CRM_RESULTS);

  private final KafkaStack stack;

  AnalyticsBenchmark(KafkaStack stack) {
    this.stack = stack;
  }

  @Test
  void throughputAndFreshness() throws Exception {
    int events = Integer.getInteger("sva.bench.events", 300_000);
    int warmupEvents = Integer.getInteger("sva.bench.warmup.events", 150_000);
    int threads = Integer.getInteger("sva.bench.threads", 1);
    int freshnessSeconds = Integer.getInteger("sva.bench.freshness.seconds", 20);
    int freshnessRate = Integer.getInteger("sva.bench.freshness.rate", 300);
    String guarantee = System.getProperty("sva.bench.guarantee", StreamsConfig.EXACTLY_ONCE_V2);
    int commitMs = Integer.getInteger("sva.bench.commit.ms", 100);
    KafkaSettings kafka = KafkaSettings.of(stack.bootstrapServers(), stack.schemaRegistryUrl(), "bench");
    try (Admin admin = Admin.create(kafka.adminConfig())) {
      new TopicProvisioner(admin, (short) 1).ensure(Topics.ALL);
    }
    String app = "analytics-bench-" + UUID.randomUUID().toString().substring(0, 6);
    String run = app.substring(app.length() - 6);

    // 1. Backlog: produce every event first, then measure how fast the topology works through it. A warm-up backlog
    // goes first, so the measured one meets compiled code and open stores, as a long-running instance does.
    int calls = events / EVENTS_PER_CALL;
    int warmupCalls = warmupEvents / EVENTS_PER_CALL;
    long t0 = System.currentTimeMillis() - Duration.ofHours(2).toMillis();
    Map<TopicPartition, Long> warmedUp;
    try (KafkaProducer<String, Object> producer = producer(kafka); Admin admin = Admin.create(kafka.adminConfig())) {
      for (int c = 0; c < warmupCalls; c++) {
        sendCall(producer, "warmup-" + run + "-" + c, "campaign-" + (c % 20), t0 + c * 50L);
      }
      producer.flush();
      warmedUp = endOffsets(admin);
      for (int c = 0; c < calls; c++) {
        sendCall(producer, "bench-" + run + "-" + c, "campaign-" + (c % 20), t0 + (warmupCalls + c) * 50L);
      }
      producer.flush();
    }
    long produced = (long) calls * EVENTS_PER_CALL;

    TopologySettings settings = TopologySettings.defaults();
    settings = new TopologySettings(settings.tumbling(), settings.hoppingSize(), settings.hoppingAdvance(),
        settings.grace(), settings.windowRetention(), settings.inactivityTimeout(), settings.sweepInterval(),
        settings.publishInterval(), settings.campaignDeltaInterval(), settings.endedCallRetention(),
        settings.callPartitions(), false, settings.qa(), true);
    Path stateDir = Files.createTempDirectory("analytics-bench-");
    Properties p = new Properties();
    p.putAll(kafka.serdeConfig());
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitMs);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
    p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    p.put(StreamsConfig.DEFAULT_DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, SkippedRecords.OnDeserialization.class);
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, SkippedRecords.OnProcessing.class);
    // Any further Kafka Streams property: -Dsva.bench.streams.<name>=<value>
    System.getProperties().stringPropertyNames().stream().filter(n -> n.startsWith("sva.bench.streams."))
        .forEach(n -> p.put(n.substring("sva.bench.streams.".length()), System.getProperty(n)));
    KafkaStreams streams = new KafkaStreams(AnalyticsTopology.build(settings,
        AnalyticsSerdes.registry(kafka.serdeConfig())), p);
    try (Admin admin = Admin.create(kafka.adminConfig())) {
      streams.start();
      waitFor(() -> streams.state() == KafkaStreams.State.RUNNING, Duration.ofMinutes(2));
      // Counted in records, not per partition: the topics need not be worked through in step.
      long warmupRecords = warmedUp.values().stream().mapToLong(Long::longValue).sum();
      waitFor(() -> committed(admin, app, warmedUp.keySet()) >= warmupRecords, Duration.ofMinutes(20));
      long start = System.nanoTime();
      long from = committed(admin, app, warmedUp.keySet());
      long allRecords = endOffsets(admin).values().stream().mapToLong(Long::longValue).sum();
      waitFor(() -> committed(admin, app, warmedUp.keySet()) >= allRecords, Duration.ofMinutes(20));
      double seconds = (System.nanoTime() - start) / 1e9;
      double throughput = (allRecords - from) / seconds;

      // 2. Freshness: a steady live load; probes measure send → visible through interactive queries.
      List<Long> callFreshness = Collections.synchronizedList(new ArrayList<>());
      List<Long> campaignFreshness = Collections.synchronizedList(new ArrayList<>());
      AtomicBoolean live = new AtomicBoolean(true);
      AtomicLong liveSent = new AtomicLong();
      Thread load = new Thread(() -> {
        try (KafkaProducer<String, Object> producer = producer(kafka)) {
          long next = System.nanoTime();
          int c = 0;
          while (live.get()) {
            sendCall(producer, "live-" + run + "-" + c, "campaign-" + (c % 20), System.currentTimeMillis());
            liveSent.addAndGet(EVENTS_PER_CALL);
            c++;
            next += 1_000_000_000L * EVENTS_PER_CALL / freshnessRate;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
              Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "bench-load");
      load.start();
      try (KafkaProducer<String, Object> probe = producer(kafka)) {
        String campaign = "probe-" + run;
        long deadline = System.currentTimeMillis() + freshnessSeconds * 1000L;
        int i = 0;
        while (System.currentTimeMillis() < deadline) {
          String callId = "probe-" + run + "-" + i++;
          long sentAt = System.nanoTime();
          probe.send(new ProducerRecord<>(Topics.CALLS, callId, started(callId, campaign, CallDirection.OUTBOUND,
              System.currentTimeMillis())));
          probe.flush();
          long want = i;
          boolean callSeen = false;
          boolean campaignSeen = false;
          long giveUp = System.nanoTime() + 10_000_000_000L;
          while ((!callSeen || !campaignSeen) && System.nanoTime() < giveUp) {
            if (!callSeen && callVisible(streams, callId)) {
              callSeen = true;
              callFreshness.add((System.nanoTime() - sentAt) / 1_000_000);
            }
            if (!campaignSeen && campaignStarted(streams, campaign) >= want) {
              campaignSeen = true;
              campaignFreshness.add((System.nanoTime() - sentAt) / 1_000_000);
            }
            Thread.sleep(1);
          }
          Thread.sleep(50);
        }
      } finally {
        live.set(false);
        load.join();
      }
      String report = String.format(Locale.ROOT, """
          analytics-stream benchmark, %s, %d cores, %s, commit every %d ms, %d stream thread(s), agent audio off
            backlog: %d events (%d calls, after a warm-up of %d) in %.1f s = %.0f events/s
            freshness under %d events/s live load, %d probes:
              call view     (sva.calls → call-state-store):          p50 %d ms, p99 %d ms, max %d ms
              campaign view (… → repartition → campaign-total-store): p50 %d ms, p99 %d ms, max %d ms
          """, Instant.now(), Runtime.getRuntime().availableProcessors(), guarantee, commitMs, threads, produced, calls,
          warmupCalls * EVENTS_PER_CALL, seconds,
          throughput, freshnessRate, callFreshness.size(),
          pct(callFreshness, 0.5), pct(callFreshness, 0.99), pct(callFreshness, 1.0),
          pct(campaignFreshness, 0.5), pct(campaignFreshness, 0.99), pct(campaignFreshness, 1.0));
      System.out.println(report);
      Files.writeString(Path.of("target", "benchmark-results.txt"), report);
    } finally {
      streams.close(Duration.ofSeconds(30));
      streams.cleanUp();
    }
  }

  private static void sendCall(KafkaProducer<String, Object> producer, String callId, String campaign, long at) {
    producer.send(new ProducerRecord<>(Topics.CALLS, callId, started(callId, campaign, CallDirection.OUTBOUND, at)));
    producer.send(new ProducerRecord<>(Topics.CALLS, callId, answered(callId, campaign, AnsweredBy.HUMAN, at + 2_000)));
    for (int u = 0; u < 8; u++) {
      long end = at + 5_000 + u * 6_000L;
      producer.send(new ProducerRecord<>(Topics.TRANSCRIPTS, callId,
          said(callId, callId + "-u" + u, "I would like to hear more", (u + 1) * 6_000L, (u + 1) * 6_000L + 2_000, end, 250)));
      String state = switch (u) {
        case 0 -> "greeting";
        case 1 -> "introduction";
        case 7 -> "next_step";
        default -> "offer";
      };
      for (int chunk = 0; chunk < 2; chunk++) {
        producer.send(new ProducerRecord<>(Topics.DIALOG_TURNS, callId, turn(callId, callId + "-t" + u, chunk,
            chunk == 1, "That is a great question, let me explain.", state, "ask_details", DialogAction.SPEAK,
            callId + "-u" + u, end + 600 + chunk * 50L, Map.of("interest", "yes"))));
      }
    }
    producer.send(new ProducerRecord<>(Topics.CRM_RESULTS, callId + ":activity:meeting", crm(callId, campaign,
        "ScheduleActivity", callId + ":activity:meeting", CrmStatus.APPLIED, at + 55_000)));
    producer.send(new ProducerRecord<>(Topics.CALLS, callId, ended(callId, campaign, CallEndReason.CUSTOMER_HANGUP,
        58_000, at + 60_000)));
  }

  private static KafkaProducer<String, Object> producer(KafkaSettings kafka) {
    Map<String, Object> c = kafka.producerConfig();
    c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    c.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    return new KafkaProducer<>(c);
  }

  private static boolean callVisible(KafkaStreams streams, String callId) {
    try {
      ReadOnlyKeyValueStore<String, CallState> store = streams.store(StoreQueryParameters.fromNameAndType(
          AnalyticsTopology.CALL_STORE, QueryableStoreTypes.keyValueStore()));
      return store.get(callId) != null;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static long campaignStarted(KafkaStreams streams, String campaign) {
    try {
      ReadOnlyKeyValueStore<String, CampaignAggregate> store = streams.store(StoreQueryParameters.fromNameAndType(
          AnalyticsTopology.CAMPAIGN_TOTAL_STORE, QueryableStoreTypes.keyValueStore()));
      CampaignAggregate a = store.get(Contributions.campaignKey(campaign, false));
      return a == null ? 0 : a.getCallsStarted();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** The input topics' end offsets now. */
  private static Map<TopicPartition, Long> endOffsets(Admin admin) {
    try {
      Set<TopicPartition> partitions = admin.describeTopics(INPUTS).allTopicNames().get().values().stream()
          .flatMap(d -> d.partitions().stream().map(pi -> new TopicPartition(d.name(), pi.partition())))
          .collect(Collectors.toSet());
      return admin.listOffsets(partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
          .all().get().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the input topics' offsets", e);
    }
  }

  /** Records of {@code partitions} the application has committed (their offsets: no transaction markers there). */
  private static long committed(Admin admin, String group, Set<TopicPartition> partitions) {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get();
      return partitions.stream().map(committed::get).filter(java.util.Objects::nonNull)
          .mapToLong(OffsetAndMetadata::offset).sum();
    } catch (Exception e) {
      return 0;
    }
  }

  private static long pct(List<Long> samples, double q) {
    if (samples.isEmpty()) {
      return -1;
    }
    List<Long> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("benchmark timed out");
      }
      Thread.sleep(100);
    }
  }
}
