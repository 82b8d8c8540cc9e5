package io.salesvoice.platform.kafka;

import io.salesvoice.platform.trace.TraceContext;
import org.apache.kafka.common.header.Headers;

/**
 * A record a stage received, already decoded, with the trace context its outputs continue.
 *
 * @param timestamp the record's Kafka timestamp, epoch milliseconds
 */
public record InboundRecord<V>(
    String topic, int partition, long offset, String key, V value, Headers headers, long timestamp,
    TraceContext trace) {

  /** An output record caused by this one: same key, the trace continued. */
  public OutboundRecord reply(String topic, Object value) {
    return OutboundRecord.of(topic, key, value);
  }
}
