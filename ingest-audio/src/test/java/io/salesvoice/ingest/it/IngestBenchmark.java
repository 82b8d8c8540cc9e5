package io.salesvoice.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.OperatingSystemMXBean;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Concurrent simulated calls streaming 20 ms PCM frames into one ingest instance, on the in-process broker. Skipped
 * unless {@code -Dsva.bench.calls} is given; see docs/benchmarks.md for the command and results.
 */
@ExtendWith(LocalStackExtension.class)
class IngestBenchmark {

  @Test
  void concurrentCalls(KafkaStack stack) {
    String callsProperty = System.getProperty("sva.bench.calls");
    Assumptions.assumeTrue(callsProperty != null, "benchmark: run with -Dsva.bench.calls=N");
    int calls = Integer.parseInt(callsProperty);
    int seconds = Integer.getInteger("sva.bench.seconds", 20);
    var memory = ManagementFactory.getMemoryMXBean();
    var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (IngestInstance ingest = IngestInstance.start(stack, "ingest-bench", IngestInstance.uniqueGroup(),
        Map.of("sva.ingest.idle-timeout", "60s"))) {
      ingest.awaitPartitions(Duration.ofSeconds(30));
      System.gc();
      long heapBefore = memory.getHeapMemoryUsage().getUsed();
      byte[] frame = TwilioStreamTest.tone(8000, 20, 0.1);
      ReactorNettyWebSocketClient client = new ReactorNettyWebSocketClient();
      List<Disposable> connections = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        String callId = "bench-" + i + "-" + System.nanoTime();
        long offset = (long) (20.0 * i / calls * 1_000_000); // spread frame times over the 20 ms period
        connections.add(client.execute(ingest.ws("/media/pcm?rate=8000&token=" + ingest.token(callId)),
            session -> session.send(Mono.delay(Duration.ofNanos(offset))
                .thenMany(Flux.interval(Duration.ofMillis(20)))
                .take(Duration.ofSeconds(seconds + 10))
                .map(n -> session.binaryMessage(f -> f.wrap(frame))))).subscribe());
      }
      MeterRegistry registry = ingest.bean(MeterRegistry.class);
      // warm-up, then measure over a window with every call streaming
      IngestInstance.sleep(5000);
      double chunksStart = ingest.counter("sva.ingest.chunks.in");
      long cpuStart = os.getProcessCpuTime();
      long start = System.nanoTime();
      Timer latency = registry.find("sva.ingest.publish.latency").timer();
      var before = latency.takeSnapshot();
      IngestInstance.sleep(seconds * 1000L);
      double elapsed = (System.nanoTime() - start) / 1e9;
      double frames = ingest.counter("sva.ingest.chunks.in") - chunksStart;
      double cpuCores = (os.getProcessCpuTime() - cpuStart) / 1e9 / elapsed;
      long heapDuring = memory.getHeapMemoryUsage().getUsed();
      var after = latency.takeSnapshot();
      double live = registry.find("sva.ingest.live_calls").gauge().value();
      String p = "";
      for (ValueAtPercentile v : after.percentileValues()) {
        p += String.format(" p%.0f=%.1fms", v.percentile() * 100, v.value(TimeUnit.MILLISECONDS));
      }
      double meanMs = (after.total(TimeUnit.MILLISECONDS) - before.total(TimeUnit.MILLISECONDS))
          / Math.max(1, after.count() - before.count());
      System.out.printf("BENCH calls=%d live=%.0f seconds=%.1f frames/s=%.0f (target %d) publish latency mean=%.1fms%s"
              + " max=%.1fms cpu=%.2f cores (whole JVM: broker, registry client, load generator, ingest)"
              + " heap/call=%.1f KiB (rough, %d MiB used)%n",
          calls, live, elapsed, frames / elapsed, calls * 50, meanMs, p, after.max(TimeUnit.MILLISECONDS), cpuCores,
          (heapDuring - heapBefore) / 1024.0 / calls, heapDuring / 1024 / 1024);
      connections.forEach(Disposable::dispose);
      assertThat(frames).isPositive();
    }
  }
}
