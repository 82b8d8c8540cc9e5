package io.salesvoice.analytics.topology;

import io.salesvoice.platform.serde.AvroSerdes;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/** Where the topology gets its value serdes: the registry's in production, whatever a test prefers in tests. */
@FunctionalInterface
public interface AnalyticsSerdes {

  <T extends SpecificRecord> Serde<T> avro(Class<T> type);

  /** Confluent-wire Avro through the schema registry, for topics and changelogs alike. */
  static AnalyticsSerdes registry(Map<String, ?> serdeConfig) {
    return new AnalyticsSerdes() {
      @Override
      public <T extends SpecificRecord> Serde<T> avro(Class<T> type) {
        return AvroSerdes.specific(type, serdeConfig);
      }
    };
  }
}
