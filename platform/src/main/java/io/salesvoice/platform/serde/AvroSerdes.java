package io.salesvoice.platform.serde;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** Typed serdes of generated Avro classes, for Kafka Streams and tools that want a {@code Serde<T>}. */
public final class AvroSerdes {

  private AvroSerdes() {
  }

  /** A value serde of {@code type} configured with the Confluent keys in {@code serdeConfig}. */
  public static <T extends SpecificRecord> Serde<T> specific(Class<T> type, Map<String, ?> serdeConfig) {
    Map<String, Object> config = new java.util.HashMap<>(serdeConfig);
    config.put(AvroSerdeConfig.SPECIFIC_READER, "true");
    AvroSerializer serializer = new AvroSerializer();
    AvroDeserializer deserializer = new AvroDeserializer();
    serializer.configure(config, false);
    deserializer.configure(config, false);
    Serializer<T> typedSerializer = serializer::serialize;
    Deserializer<T> typedDeserializer = (topic, bytes) -> {
      Object value = deserializer.deserialize(topic, bytes);
      if (value != null && !type.isInstance(value)) {
        throw new org.apache.kafka.common.errors.SerializationException(
            "expected a " + type.getName() + " on " + topic + ", got " + value.getClass().getName());
      }
      return type.cast(value);
    };
    return Serdes.serdeFrom(typedSerializer, typedDeserializer);
  }
}
