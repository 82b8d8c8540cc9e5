package io.salesvoice.platform.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A record a stage or an edge writes: topic, key (the callId), Avro value, and optionally the partition (agent audio
 * goes to the partition the call's gateway instance owns, not to the key's hash).
 */
public record OutboundRecord(String topic, Integer partition, String key, Object value, Map<String, byte[]> headers) {

  public OutboundRecord {
    Objects.requireNonNull(topic, "topic");
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  public static OutboundRecord of(String topic, String key, Object value) {
    return new OutboundRecord(topic, null, key, value, Map.of());
  }

  public OutboundRecord toPartition(int partition) {
    return new OutboundRecord(topic, partition, key, value, headers);
  }

  public OutboundRecord withHeader(String name, byte[] value) {
    Map<String, byte[]> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new OutboundRecord(topic, partition, key, this.value, h);
  }
}
