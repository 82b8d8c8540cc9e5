package io.salesvoice.analytics.topology;

import io.salesvoice.analytics.domain.CampaignAggregates;
import io.salesvoice.analytics.domain.Contributions;
import io.salesvoice.analytics.domain.QaRules;
import io.salesvoice.analytics.state.CallState;
import io.salesvoice.analytics.state.CampaignAggregate;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.schema.analytics.CallSummary;
import io.salesvoice.schema.analytics.CampaignStats;
import io.salesvoice.schema.audio.AudioChunk;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.crm.CrmResult;
import io.salesvoice.schema.dialog.DialogTurn;
import io.salesvoice.schema.transcript.Transcript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/** A TopologyTestDriver around the analytics topology, with typed topics and store readers. */
final class TopologyFixture implements AutoCloseable {

  static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  static final TopologySettings SETTINGS = new TopologySettings(Duration.ofHours(1), Duration.ofHours(1),
      Duration.ofMinutes(15), Duration.ofMinutes(10), Duration.ofDays(2), Duration.ofMinutes(5), Duration.ofSeconds(10),
      Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofDays(7), 12, true, QaRules.defaults(), true)
      .withInMemoryStores().withCampaignDeltaInterval(Duration.ZERO);

  final TopologyTestDriver driver;
  final TestInputTopic<String, CallEvent> calls;
  final TestInputTopic<String, Transcript> transcripts;
  final TestInputTopic<String, DialogTurn> turns;
  final TestInputTopic<String, CrmResult> crm;
  final TestInputTopic<String, AudioChunk> audio;
  final TestInputTopic<String, byte[]> rawCalls;
  final TestOutputTopic<String, CallSummary> summaries;
  final TestOutputTopic<String, CampaignStats> campaigns;
  private final Path stateDir;

  TopologyFixture() {
    this(SETTINGS);
  }

  TopologyFixture(TopologySettings settings) {
    PlainAvroSerdes serdes = new PlainAvroSerdes();
    try {
      stateDir = Files.createTempDirectory("analytics-ttd-");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "analytics-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.DEFAULT_DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        SkippedRecords.OnDeserialization.class.getName());
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, SkippedRecords.OnProcessing.class.getName());
    driver = new TopologyTestDriver(AnalyticsTopology.build(settings, serdes), props, T0);
    StringSerializer keys = new StringSerializer();
    calls = driver.createInputTopic(Topics.CALLS, keys, serdes.avro(CallEvent.class).serializer());
    transcripts = driver.createInputTopic(Topics.TRANSCRIPTS, keys, serdes.avro(Transcript.class).serializer());
    turns = driver.createInputTopic(Topics.DIALOG_TURNS, keys, serdes.avro(DialogTurn.class).serializer());
    crm = driver.createInputTopic(Topics.CRM_RESULTS, keys, serdes.avro(CrmResult.class).serializer());
    audio = driver.createInputTopic(Topics.AUDIO_OUT, keys, serdes.avro(AudioChunk.class).serializer());
    rawCalls = driver.createInputTopic(Topics.CALLS, keys, new ByteArraySerializer());
    summaries = driver.createOutputTopic(Topics.ANALYTICS_CALLS, new StringDeserializer(),
        serdes.avro(CallSummary.class).deserializer());
    campaigns = driver.createOutputTopic(Topics.ANALYTICS_CAMPAIGNS, new StringDeserializer(),
        serdes.avro(CampaignStats.class).deserializer());
  }

  static long at(Duration offset) {
    return T0.plus(offset).toEpochMilli();
  }

  static long min(long minutes) {
    return at(Duration.ofMinutes(minutes));
  }

  void call(CallEvent e) {
    calls.pipeInput(e.getCallId(), e, e.getOccurredAt());
  }

  void transcript(Transcript t) {
    transcripts.pipeInput(t.getCallId(), t, t.getProducedAt());
  }

  void turn(DialogTurn t) {
    turns.pipeInput(t.getCallId(), t, t.getProducedAt());
  }

  /** crm-sink keys its results by idempotency key: the topology must bring them to the call itself. */
  void crm(CrmResult r) {
    crm.pipeInput(r.getIdempotencyKey(), r, r.getCompletedAt());
  }

  void audio(AudioChunk a) {
    audio.pipeInput("gateway-partition-key", a, a.getProducedAt());
  }

  /** Lets wall-clock time pass, which runs the publish and inactivity punctuations. */
  void wait(Duration d) {
    driver.advanceWallClockTime(d);
  }

  CallState callState(String callId) {
    // The call store answers queries from what it has written: the driver commits after every record.
    @SuppressWarnings("unchecked")
    ReadOnlyKeyValueStore<String, CallState> store =
        (ReadOnlyKeyValueStore<String, CallState>) driver.getAllStateStores().get(AnalyticsTopology.CALL_STORE);
    return store.get(callId);
  }

  /** The latest summary published for the call. */
  CallSummary lastSummary(String callId) {
    CallSummary last = null;
    for (KeyValue<String, CallSummary> kv : summaries.readKeyValuesToList()) {
      if (kv.key.equals(callId)) {
        last = kv.value;
      }
    }
    return last;
  }

  CampaignStats total(String campaignId, boolean replay) {
    KeyValueStore<String, CampaignAggregate> store = driver.getKeyValueStore(AnalyticsTopology.CAMPAIGN_TOTAL_STORE);
    CampaignAggregate a = store.get(Contributions.campaignKey(campaignId, replay));
    return a == null ? null : CampaignAggregates.toStats(a, "total", null, null, 0);
  }

  /** Every window of the store for the campaign, oldest first. */
  List<CampaignStats> windows(String store, String campaignId) {
    WindowStore<String, CampaignAggregate> windows = driver.getWindowStore(store);
    List<CampaignStats> out = new ArrayList<>();
    try (var it = windows.fetch(campaignId, Instant.EPOCH, T0.plus(Duration.ofDays(1)))) {
      while (it.hasNext()) {
        KeyValue<Long, CampaignAggregate> kv = it.next();
        out.add(CampaignAggregates.toStats(kv.value, "w", kv.key, null, 0));
      }
    }
    return out;
  }

  List<KeyValue<Windowed<String>, CampaignAggregate>> allWindows(String store) {
    WindowStore<String, CampaignAggregate> windows = driver.getWindowStore(store);
    List<KeyValue<Windowed<String>, CampaignAggregate>> out = new ArrayList<>();
    try (var it = windows.all()) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  @Override
  public void close() {
    driver.close();
    try {
      org.apache.kafka.common.utils.Utils.delete(stateDir.toFile());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
