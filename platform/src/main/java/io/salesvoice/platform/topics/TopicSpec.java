package io.salesvoice.platform.topics;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.TopicConfig;

/**
 * One topic of the catalogue: its name, how many partitions it scales to, how long it keeps data, and the Avro schema
 * of its values. Keys are the callId string unless the catalogue says otherwise.
 */
public record TopicSpec(String name, int partitions, Duration retention, boolean compacted, Schema valueSchema) {

  public TopicSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(valueSchema, "valueSchema");
    if (partitions < 1) {
      throw new IllegalArgumentException(name + ": partitions must be at least 1");
    }
  }

  /** The registry subject of the values, by the TopicNameStrategy every Confluent-ecosystem client uses. */
  public String valueSubject() {
    return name + "-value";
  }

  /** The topic configuration the broker gets when the topic is created. */
  public Map<String, String> config() {
    return Map.of(
        TopicConfig.CLEANUP_POLICY_CONFIG, compacted ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE,
        TopicConfig.RETENTION_MS_CONFIG, compacted ? "-1" : String.valueOf(retention.toMillis()));
  }
}
