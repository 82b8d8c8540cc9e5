package io.salesvoice.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The edge's meters ({@code sva.ingest.*}), tagged by provider and reason only — never by call — so a dashboard can
 * show live calls, audio in and out, rejected input, barge-ins and the latencies the benchmark reports.
 */
public final class IngestMetrics {

  private final MeterRegistry registry;
  private final Timer publishLatency;
  private final Timer playbackLag;

  public IngestMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.publishLatency = Timer.builder("sva.ingest.publish.latency")
        .description("From a media frame's receipt to the broker's acknowledgement of its AudioChunk")
        .publishPercentiles(0.5, 0.99)
        .publishPercentileHistogram()
        .register(registry);
    this.playbackLag = Timer.builder("sva.ingest.playback.lag")
        .description("From an agent audio chunk's production to its frames leaving for the caller")
        .publishPercentiles(0.5, 0.99)
        .publishPercentileHistogram()
        .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void liveCalls(Supplier<Number> count) {
    // strong reference: a gauge on a method reference would otherwise be collected and read NaN
    io.micrometer.core.instrument.Gauge.builder("sva.ingest.live_calls", count, s -> s.get().doubleValue())
        .description("Media connections with a started call on this instance").strongReference(true)
        .register(registry);
  }

  public void chunkIn(String provider) {
    counter("sva.ingest.chunks.in", "provider", provider).increment();
  }

  public void chunkOut(String provider) {
    counter("sva.ingest.chunks.out", "provider", provider).increment();
  }

  public void rejected(String provider, String reason) {
    Counter.builder("sva.ingest.rejected").description("Connections, frames and uploads refused, by reason")
        .tag("provider", provider).tag("reason", reason).register(registry).increment();
  }

  public void callEnded(String provider, String reason) {
    Counter.builder("sva.ingest.calls.ended").tag("provider", provider).tag("reason", reason).register(registry)
        .increment();
  }

  public void bargeIn(String provider) {
    counter("sva.ingest.barge_ins", "provider", provider).increment();
  }

  public void playbackDropped(String reason) {
    counter("sva.ingest.playback.dropped", "reason", reason).increment();
  }

  public void published(Duration sinceReceipt) {
    publishLatency.record(sinceReceipt);
  }

  public void played(Duration sinceProduced) {
    playbackLag.record(sinceProduced.isNegative() ? Duration.ZERO : sinceProduced);
  }

  private Counter counter(String name, String tag, String value) {
    return Counter.builder(name).tag(tag, value).register(registry);
  }
}
