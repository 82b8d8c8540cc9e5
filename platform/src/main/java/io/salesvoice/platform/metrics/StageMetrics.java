package io.salesvoice.platform.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The meters every stage has, with the same names and low-cardinality tags (stage, topic — never a callId), so one
 * dashboard covers every worker.
 */
public final class StageMetrics {

  private final MeterRegistry registry;
  private final String stage;
  private final Timer processing;
  private final Counter retries;

  public StageMetrics(MeterRegistry registry, String stage) {
    this.registry = registry;
    this.stage = stage;
    this.processing = Timer.builder("sva.stage.processing")
        .description("Time from taking a record to its outputs being acknowledged")
        .tag("stage", stage)
        .publishPercentiles(0.5, 0.9, 0.99)
        .publishPercentileHistogram()
        .register(registry);
    this.retries = Counter.builder("sva.stage.retries")
        .description("Records handled again because their outputs could not be written")
        .tag("stage", stage)
        .register(registry);
  }

  public void received(String topic) {
    counter("sva.stage.records.received", topic).increment();
  }

  public void sent(String topic) {
    counter("sva.stage.records.sent", topic).increment();
  }

  public void processed(String topic, Duration took) {
    counter("sva.stage.records.processed", topic).increment();
    processing.record(took);
  }

  public void deadLettered(String topic) {
    counter("sva.stage.records.dead_lettered", topic).increment();
  }

  /** A record was still being processed long after it was taken (counted once per record). */
  public void stuck(String topic) {
    counter("sva.stage.records.stuck", topic).increment();
  }

  public void retried() {
    retries.increment();
  }

  private Counter counter(String name, String topic) {
    return Counter.builder(name).tag("stage", stage).tag("topic", topic).register(registry);
  }
}
