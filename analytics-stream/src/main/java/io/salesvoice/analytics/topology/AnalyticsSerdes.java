package io.salesvoice.analytics.topology;

import io.salesvoice.platform.serde.AvroSerdes;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** Where the topology gets its value serdes: the registry's in production, whatever a test prefers in tests. */
@FunctionalInterface
public interface AnalyticsSerdes {

  <T extends SpecificRecord> Serde<T> avro(Class<T> type);

  /** Confluent-wire Avro through the schema registry, for topics and changelogs alike. */
  static AnalyticsSerdes registry(Map<String, ?> serdeConfig) {
    return new AnalyticsSerdes() {
      @Override
      public <T extends SpecificRecord> Serde<T> avro(Class<T> type) {
        Serde<T> inner = AvroSerdes.specific(type, serdeConfig);
        return Serdes.serdeFrom(retryingRegistrationRace(inner.serializer()), inner.deserializer());
      }
    };
  }

  /**
   * Two instances starting together register the same new subject at once; Apicurio answers the loser 409 (the
   * artifact already exists) although the schema is identical. Asking again then returns the existing id.
   */
  private static <T> Serializer<T> retryingRegistrationRace(Serializer<T> serializer) {
    return (topic, value) -> {
      for (int attempt = 1; ; attempt++) {
        try {
          return serializer.serialize(topic, value);
        } catch (SerializationException e) {
          if (attempt >= 3 || e.getMessage() == null || !e.getMessage().contains("HTTP 409")) {
            throw e;
          }
        }
      }
    };
  }
}
