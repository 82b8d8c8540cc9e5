package io.salesvoice.analytics.topology;

import io.salesvoice.analytics.domain.CampaignAggregates;
import io.salesvoice.analytics.state.CallState;
import io.salesvoice.analytics.state.CampaignAggregate;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.schema.analytics.CallSummary;
import io.salesvoice.schema.analytics.CampaignStats;
import io.salesvoice.schema.audio.AudioChunk;
import io.salesvoice.schema.audio.Channel;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.crm.CrmResult;
import io.salesvoice.schema.dialog.DialogTurn;
import io.salesvoice.schema.transcript.Transcript;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The analytics views as one Kafka Streams topology.
 * <pre>
 * sva.calls ─┐ sva.transcripts (finals) ─┐ sva.dialog.turns ─┐
 * sva.crm.results ─re-key by callId─┐ sva.audio.out (agent, no bytes) ─re-key by callId─┐
 *   └─▶ call-state (store call-state-store, key callId) ─┬─▶ CallSummary ─▶ sva.analytics.calls
 *                                                         └─▶ campaign deltas ─group by campaign─▶
 *        campaign-total / campaign-tumbling / campaign-hopping stores ─▶ CampaignStats ─▶ sva.analytics.campaigns
 * </pre>
 * Key callId in, callId and campaignId out; every store has a changelog, so the views survive a restart and move
 * with their partitions on a rebalance.
 */
public final class AnalyticsTopology {

  public static final String CALL_STORE = "call-state-store";
  /** Campaign deltas being summed before they are sent on (see {@link TopologySettings#campaignDeltaInterval}). */
  public static final String PENDING_DELTAS_STORE = "campaign-pending-deltas-store";
  /** Call states each task keeps as objects between records (a few KB each; live calls stay, the idlest go). */
  static final int HELD_CALLS_PER_TASK = 2_000;
  /** Campaign sums each task keeps as objects: one per campaign and bucket, and only until the next send. */
  static final int HELD_SUMS_PER_TASK = 256;
  public static final String OPEN_CALLS_STORE = "open-calls-store";
  public static final String ENDED_CALLS_STORE = "ended-calls-store";
  public static final String CAMPAIGN_TOTAL_STORE = "campaign-total-store";
  public static final String CAMPAIGN_TUMBLING_STORE = "campaign-tumbling-store";
  public static final String CAMPAIGN_HOPPING_STORE = "campaign-hopping-store";

  private AnalyticsTopology() {
  }

  public static Topology build(TopologySettings settings, AnalyticsSerdes serdes) {
    StreamsBuilder builder = new StreamsBuilder();
    Serde<String> keys = Serdes.String();
    Serde<CampaignAggregate> aggregateSerde = serdes.avro(CampaignAggregate.class);

    KStream<String, SpecificRecord> calls = widen(builder.stream(Topics.CALLS,
        Consumed.with(keys, serdes.avro(CallEvent.class)).withName("calls-source")));
    KStream<String, SpecificRecord> transcripts = widen(builder.stream(Topics.TRANSCRIPTS,
            Consumed.with(keys, serdes.avro(Transcript.class)).withName("transcripts-source"))
        .filter((k, t) -> SkippedRecords.present(Topics.TRANSCRIPTS, t) && t.getIsFinal(),
            Named.as("final-transcripts")));
    KStream<String, SpecificRecord> turns = widen(builder.stream(Topics.DIALOG_TURNS,
        Consumed.with(keys, serdes.avro(DialogTurn.class)).withName("dialog-turns-source")));
    // CRM results are keyed as crm-sink likes and live on fewer partitions: bring them to their call's partition.
    Serde<CrmResult> crmSerde = serdes.avro(CrmResult.class);
    KStream<String, SpecificRecord> crm = widen(builder.stream(Topics.CRM_RESULTS,
            Consumed.with(keys, crmSerde).withName("crm-results-source"))
        .filter((k, r) -> SkippedRecords.present(Topics.CRM_RESULTS, r), Named.as("crm-results-present"))
        .selectKey((k, r) -> r.getCallId(), Named.as("crm-results-call-key"))
        .repartition(Repartitioned.<String, CrmResult>as("crm-results-by-call")
            .withKeySerde(keys).withValueSerde(crmSerde).withNumberOfPartitions(settings.callPartitions())));

    KStream<String, SpecificRecord> all = calls
        .merge(transcripts, Named.as("merge-transcripts"))
        .merge(turns, Named.as("merge-dialog-turns"))
        .merge(crm, Named.as("merge-crm-results"));
    if (settings.agentAudio()) {
      // Only when and how long the agent spoke matters here: the audio bytes are dropped before the re-key.
      Serde<AudioChunk> audioSerde = serdes.avro(AudioChunk.class);
      all = all.merge(widen(builder.stream(Topics.AUDIO_OUT, Consumed.with(keys, audioSerde).withName("agent-audio-source"))
          .filter((k, a) -> SkippedRecords.present(Topics.AUDIO_OUT, a) && a.getTurnId() != null
              && a.getChannel() != Channel.CUSTOMER,
              Named.as("agent-audio-of-turns"))
          .mapValues(AnalyticsTopology::withoutBytes, Named.as("agent-audio-without-bytes"))
          .selectKey((k, a) -> a.getCallId(), Named.as("agent-audio-call-key"))
          .repartition(Repartitioned.<String, AudioChunk>as("agent-audio-by-call")
              .withKeySerde(keys).withValueSerde(audioSerde).withNumberOfPartitions(settings.callPartitions()))),
          Named.as("merge-agent-audio"));
    }

    builder.addStateStore(WriteBehindStore.builder(Stores.keyValueStoreBuilder(keyValue(settings, CALL_STORE), keys,
        serdes.avro(CallState.class)), HELD_CALLS_PER_TASK));
    builder.addStateStore(WriteBehindStore.builder(Stores.keyValueStoreBuilder(keyValue(settings, PENDING_DELTAS_STORE),
        keys, aggregateSerde), HELD_SUMS_PER_TASK));
    builder.addStateStore(Stores.keyValueStoreBuilder(keyValue(settings, OPEN_CALLS_STORE), keys,
        Serdes.Long()).withCachingEnabled());
    builder.addStateStore(Stores.keyValueStoreBuilder(keyValue(settings, ENDED_CALLS_STORE), keys,
        Serdes.String()).withCachingEnabled());
    Map<String, KStream<String, SpecificRecord>> out = all
        .process(() -> new CallStateProcessor(settings), Named.as("call-state"),
            CALL_STORE, PENDING_DELTAS_STORE, OPEN_CALLS_STORE, ENDED_CALLS_STORE)
        .split(Named.as("call-state-"))
        .branch((k, v) -> v instanceof CallSummary, Branched.as("summaries"))
        .defaultBranch(Branched.as("deltas"));

    out.get("call-state-summaries")
        .mapValues(v -> (CallSummary) v, Named.as("call-summaries"))
        .to(Topics.ANALYTICS_CALLS, Produced.with(keys, serdes.avro(CallSummary.class)).withName("call-summaries-sink"));

    KGroupedStream<String, CampaignAggregate> byCampaign = out.get("call-state-deltas")
        .mapValues(v -> (CampaignAggregate) v, Named.as("campaign-deltas-typed"))
        .groupByKey(Grouped.with("campaign-deltas", keys, aggregateSerde));
    Serde<CampaignStats> statsSerde = serdes.avro(CampaignStats.class);

    byCampaign
        .aggregate(() -> CampaignAggregates.empty(""), (key, delta, sum) -> CampaignAggregates.add(sum, delta),
            Named.as("campaign-total"),
            Materialized.<String, CampaignAggregate, KeyValueStore<Bytes, byte[]>>as(CAMPAIGN_TOTAL_STORE)
                .withStoreType(storeType(settings))
                .withKeySerde(keys).withValueSerde(aggregateSerde))
        .toStream(Named.as("campaign-total-changes"))
        .map((key, sum) -> KeyValue.pair(sum.getCampaignId(),
            CampaignAggregates.toStats(sum, "total", null, null, System.currentTimeMillis())), Named.as("campaign-total-stats"))
        .to(Topics.ANALYTICS_CAMPAIGNS, Produced.with(keys, statsSerde).withName("campaign-total-sink"));

    Duration retention = max(settings.windowRetention(), settings.hoppingSize().plus(settings.grace()),
        settings.tumbling().plus(settings.grace()));
    String tumblingName = settings.tumblingName();
    byCampaign.windowedBy(TimeWindows.ofSizeAndGrace(settings.tumbling(), settings.grace()))
        .aggregate(() -> CampaignAggregates.empty(""), (key, delta, sum) -> CampaignAggregates.add(sum, delta),
            Named.as("campaign-tumbling"),
            Materialized.<String, CampaignAggregate, WindowStore<Bytes, byte[]>>as(CAMPAIGN_TUMBLING_STORE)
                .withStoreType(storeType(settings))
                .withKeySerde(keys).withValueSerde(aggregateSerde).withRetention(retention))
        .toStream(Named.as("campaign-tumbling-changes"))
        .map((window, sum) -> KeyValue.pair(sum.getCampaignId(), CampaignAggregates.toStats(sum, tumblingName,
            window.window().start(), window.window().end(), System.currentTimeMillis())), Named.as("campaign-tumbling-stats"))
        .to(Topics.ANALYTICS_CAMPAIGNS, Produced.with(keys, statsSerde).withName("campaign-tumbling-sink"));

    String hoppingName = settings.hoppingName();
    byCampaign.windowedBy(TimeWindows.ofSizeAndGrace(settings.hoppingSize(), settings.grace())
            .advanceBy(settings.hoppingAdvance()))
        .aggregate(() -> CampaignAggregates.empty(""), (key, delta, sum) -> CampaignAggregates.add(sum, delta),
            Named.as("campaign-hopping"),
            Materialized.<String, CampaignAggregate, WindowStore<Bytes, byte[]>>as(CAMPAIGN_HOPPING_STORE)
                .withStoreType(storeType(settings))
                .withKeySerde(keys).withValueSerde(aggregateSerde).withRetention(retention))
        .toStream(Named.as("campaign-hopping-changes"))
        .map((window, sum) -> KeyValue.pair(sum.getCampaignId(), CampaignAggregates.toStats(sum, hoppingName,
            window.window().start(), window.window().end(), System.currentTimeMillis())), Named.as("campaign-hopping-stats"))
        .to(Topics.ANALYTICS_CAMPAIGNS, Produced.with(keys, statsSerde).withName("campaign-hopping-sink"));

    return builder.build();
  }

  private static KeyValueBytesStoreSupplier keyValue(TopologySettings settings, String name) {
    return settings.persistentStores() ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
  }

  private static Materialized.StoreType storeType(TopologySettings settings) {
    return settings.persistentStores() ? Materialized.StoreType.ROCKS_DB : Materialized.StoreType.IN_MEMORY;
  }

  private static AudioChunk withoutBytes(AudioChunk a) {
    a.setData(ByteBuffer.allocate(0));
    return a;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <V extends SpecificRecord> KStream<String, SpecificRecord> widen(KStream<String, V> stream) {
    return (KStream) stream;
  }

  private static Duration max(Duration... ds) {
    Duration m = Duration.ZERO;
    for (Duration d : ds) {
      m = d.compareTo(m) > 0 ? d : m;
    }
    return m;
  }
}
