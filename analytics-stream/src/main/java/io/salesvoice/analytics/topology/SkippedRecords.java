package io.salesvoice.analytics.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Poison records must not stop the views: a record that cannot be read or processed is logged (topic, partition,
 * offset — never its content) and counted in {@code sva.analytics.records.skipped}, and processing goes on. An
 * outage (the registry unreachable) is not the record's fault: that fails the stream thread, which is replaced and
 * takes the records again from the last commit, so nothing is lost.
 */
public final class SkippedRecords {

  public static final String METRIC = "sva.analytics.records.skipped";
  private static final Logger LOG = LoggerFactory.getLogger(SkippedRecords.class);

  private SkippedRecords() {
  }

  /** An unreachable registry or broker surfaces with an IOException among the causes. */
  static boolean isOutage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }

  /** True for a value; a tombstone (null value) on a topic of events is skipped and counted. */
  static boolean present(String topic, Object value) {
    if (value == null) {
      count(topic, "no_value");
      return false;
    }
    return true;
  }

  static void count(String topic, String reason) {
    Counter.builder(METRIC).description("Records the analytics topology skipped because they could not be handled")
        .tag("topic", topic == null ? "unknown" : topic).tag("reason", reason)
        .register(Metrics.globalRegistry).increment();
  }

  /** Skips values that are not readable Avro of the topic's type. */
  public static final class OnDeserialization implements DeserializationExceptionHandler {

    @Override
    public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                                 Exception exception) {
      if (isOutage(exception)) {
        LOG.error("cannot read {}-{}@{} because of an outage; failing to retry it: {}", record.topic(),
            record.partition(), record.offset(), exception.toString());
        return DeserializationHandlerResponse.FAIL;
      }
      LOG.warn("skipping an unreadable record at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
          exception.toString());
      count(record.topic(), exception instanceof SerializationException ? "deserialization" : "deserialization-other");
      return DeserializationHandlerResponse.CONTINUE;
    }

    @Override
    public void configure(java.util.Map<String, ?> configs) {
    }
  }

  /** Skips records whose processing threw, so one bad record of a call does not stop every call. */
  public static final class OnProcessing implements ProcessingExceptionHandler {

    @Override
    public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
      if (isOutage(exception)) {
        LOG.error("cannot process {}-{}@{} because of an outage; failing to retry it: {}", context.topic(),
            context.partition(), context.offset(), exception.toString());
        return ProcessingHandlerResponse.FAIL;
      }
      LOG.warn("skipping a record at {}-{}@{} that {} could not process", context.topic(), context.partition(),
          context.offset(), context.processorNodeId(), exception);
      count(context.topic(), "processing");
      return ProcessingHandlerResponse.CONTINUE;
    }

    @Override
    public void configure(java.util.Map<String, ?> configs) {
    }
  }
}
