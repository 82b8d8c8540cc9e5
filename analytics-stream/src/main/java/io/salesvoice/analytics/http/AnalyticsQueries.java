package io.salesvoice.analytics.http;

import io.salesvoice.analytics.domain.CallSummaries;
import io.salesvoice.analytics.domain.CampaignAggregates;
import io.salesvoice.analytics.domain.Contributions;
import io.salesvoice.analytics.domain.QaScorer;
import io.salesvoice.analytics.state.CallState;
import io.salesvoice.analytics.state.CampaignAggregate;
import io.salesvoice.analytics.streams.AnalyticsProperties;
import io.salesvoice.analytics.topology.AnalyticsTopology;
import io.salesvoice.analytics.topology.TopologySettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.springframework.stereotype.Component;

/** Reads this instance's own stores into the JSON views; the controller decides which instance to ask. */
@Component
public class AnalyticsQueries {

  /** How many of the newest windows a campaign view lists. */
  static final int TUMBLING_WINDOWS = 24;
  static final int HOPPING_WINDOWS = 12;

  private final TopologySettings settings;
  private final QaScorer scorer;

  public AnalyticsQueries(AnalyticsProperties properties) {
    this.settings = properties.topologySettings();
    this.scorer = new QaScorer(settings.qa());
  }

  public Optional<Map<String, Object>> call(KafkaStreams streams, String callId) {
    ReadOnlyKeyValueStore<String, CallState> store = streams.store(StoreQueryParameters
        .fromNameAndType(AnalyticsTopology.CALL_STORE, QueryableStoreTypes.<String, CallState>keyValueStore()));
    CallState state = store.get(callId);
    return Optional.ofNullable(state)
        .map(s -> AvroJson.toMap(CallSummaries.of(s, scorer, System.currentTimeMillis())));
  }

  public Optional<Map<String, Object>> campaign(KafkaStreams streams, String campaignId, boolean replay) {
    String key = Contributions.campaignKey(campaignId, replay);
    ReadOnlyKeyValueStore<String, CampaignAggregate> totals = streams.store(StoreQueryParameters.fromNameAndType(
        AnalyticsTopology.CAMPAIGN_TOTAL_STORE, QueryableStoreTypes.<String, CampaignAggregate>keyValueStore()));
    CampaignAggregate total = totals.get(key);
    if (total == null) {
      return Optional.empty();
    }
    long now = System.currentTimeMillis();
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("campaignId", campaignId);
    view.put("replay", replay);
    view.put("total", AvroJson.toMap(CampaignAggregates.toStats(total, "total", null, null, now)));
    view.put("tumbling", windows(streams, AnalyticsTopology.CAMPAIGN_TUMBLING_STORE, key, settings.tumblingName(),
        settings.tumbling().toMillis(), TUMBLING_WINDOWS, now));
    view.put("hopping", windows(streams, AnalyticsTopology.CAMPAIGN_HOPPING_STORE, key, settings.hoppingName(),
        settings.hoppingSize().toMillis(), HOPPING_WINDOWS, now));
    return Optional.of(view);
  }

  /** The newest {@code limit} windows, newest first. */
  private static List<Map<String, Object>> windows(KafkaStreams streams, String storeName, String key, String name,
                                                   long size, int limit, long now) {
    ReadOnlyWindowStore<String, CampaignAggregate> store = streams.store(StoreQueryParameters.fromNameAndType(
        storeName, QueryableStoreTypes.<String, CampaignAggregate>windowStore()));
    List<Map<String, Object>> out = new ArrayList<>();
    // Event time may run ahead of this clock (replays, skew): look a day past now.
    try (WindowStoreIterator<CampaignAggregate> it = store.backwardFetch(key, Instant.EPOCH,
        Instant.ofEpochMilli(now + 86_400_000L))) {
      while (it.hasNext() && out.size() < limit) {
        KeyValue<Long, CampaignAggregate> kv = it.next();
        out.add(AvroJson.toMap(CampaignAggregates.toStats(kv.value, name, kv.key, kv.key + size, now)));
      }
    }
    return out;
  }
}
