package io.salesvoice.platform.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How every worker reaches Kafka and the schema registry. The value serde is named by class, with Confluent's
 * configuration keys, so Confluent's own {@code KafkaAvroSerializer} can replace ours by configuration alone.
 *
 * @param properties extra client and serde properties (e.g. {@code basic.auth.user.info}, {@code security.protocol}),
 *                   passed to producers, consumers and serdes alike
 */
public record KafkaSettings(
    String bootstrapServers,
    String schemaRegistryUrl,
    String clientId,
    String valueSerializer,
    String valueDeserializer,
    Map<String, String> properties) {

  public static final String DEFAULT_VALUE_SERIALIZER = "io.salesvoice.platform.serde.AvroSerializer";
  public static final String DEFAULT_VALUE_DESERIALIZER = "io.salesvoice.platform.serde.AvroDeserializer";

  public KafkaSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(schemaRegistryUrl, "schemaRegistryUrl");
    clientId = clientId == null || clientId.isBlank() ? "sva" : clientId;
    valueSerializer = valueSerializer == null || valueSerializer.isBlank() ? DEFAULT_VALUE_SERIALIZER : valueSerializer;
    valueDeserializer = valueDeserializer == null || valueDeserializer.isBlank()
        ? DEFAULT_VALUE_DESERIALIZER : valueDeserializer;
    properties = properties == null ? Map.of() : Map.copyOf(properties);
  }

  public static KafkaSettings of(String bootstrapServers, String schemaRegistryUrl, String clientId) {
    return new KafkaSettings(bootstrapServers, schemaRegistryUrl, clientId, null, null, Map.of());
  }

  public KafkaSettings withProperty(String key, String value) {
    Map<String, String> p = new HashMap<>(properties);
    p.put(key, value);
    return new KafkaSettings(bootstrapServers, schemaRegistryUrl, clientId, valueSerializer, valueDeserializer, p);
  }

  /** An admin client's configuration, e.g. to create topics. */
  public Map<String, Object> adminConfig() {
    Map<String, Object> c = new HashMap<>(properties);
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-admin");
    return c;
  }

  /** Configuration of the value serializer and deserializer: Confluent's keys, specific Avro classes. */
  public Map<String, Object> serdeConfig() {
    Map<String, Object> c = new HashMap<>();
    c.put("schema.registry.url", schemaRegistryUrl);
    c.put("specific.avro.reader", "true");
    c.put("auto.register.schemas", "true");
    c.putAll(properties);
    return c;
  }

  /** An idempotent producer that waits for all in-sync replicas: an acknowledged record is not lost. */
  public Map<String, Object> producerConfig() {
    Map<String, Object> c = serdeConfig();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-producer");
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // Small batches: speech is latency-bound; 5 ms of lingering is a fraction of one 20 ms audio frame.
    c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, valueSerializer);
    c.putAll(properties);
    return c;
  }

  /**
   * A consumer that reads values as bytes: deserialization happens per record inside the stage, so a poison record
   * becomes a dead letter instead of an exception that stops the poll loop.
   */
  public Map<String, Object> consumerConfig(String groupId) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-" + groupId);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
    // A worker that dies keeps its partitions until the group gives it up: with kafka-clients' 45 s the callers of
    // its calls hear a silent agent long enough to hang up. 10 s (heartbeats every 3 s) lets another instance take
    // over while the caller is still on the line; a live but busy worker keeps heartbeating from its own thread.
    c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.putAll(properties);
    return c;
  }
}
