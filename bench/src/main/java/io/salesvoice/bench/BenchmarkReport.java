package io.salesvoice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes docs/benchmarks.md from the results of one {@code bench/run}: the machine, the date, and every figure with
 * how to reproduce it, so the numbers in the repository always come from a run anyone can repeat.
 *
 * <p>Usage: {@code BenchmarkReport <jmh.json> <pipeline.json> <extra-sections-dir> <out.md>}
 */
public final class BenchmarkReport {

  private static final ObjectMapper JSON = new ObjectMapper();

  private BenchmarkReport() {
  }

  public static void main(String[] args) throws IOException {
    Path jmh = Path.of(args[0]);
    Path pipeline = Path.of(args[1]);
    Path extra = Path.of(args[2]);
    Path out = Path.of(args[3]);
    List<String> md = new ArrayList<>();
    md.add("# Benchmarks");
    md.add("");
    md.add("Written by `bench/run` on " + LocalDate.now() + ". Rerun it to refresh every figure below; each section");
    md.add("also says how to run its benchmark alone.");
    md.add("");
    md.add("## Machine");
    md.add("");
    md.add("| | |");
    md.add("| --- | --- |");
    md.add("| CPU | " + cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores available |");
    md.add("| memory | " + memoryGiB() + " GiB |");
    md.add("| OS | " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " |");
    md.add("| JVM | " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " |");
    md.add("");
    md.add("## Avro serde (JMH)");
    md.add("");
    md.add("Confluent wire format through `platform`'s serializer and deserializer, schema ids cached (the steady state of");
    md.add("every worker). One fork, 2 × 2 s warm-up, 3 × 3 s measurement. Alone:");
    md.add("`java -cp bench/target/bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt) org.openjdk.jmh.Main AvroSerde`");
    md.add("");
    md.add("| benchmark | mean ns/op | ± error (99.9 %) |");
    md.add("| --- | ---: | ---: |");
    if (Files.exists(jmh)) {
      for (JsonNode b : JSON.readTree(jmh.toFile())) {
        JsonNode m = b.path("primaryMetric");
        md.add(String.format(Locale.ROOT, "| %s | %.0f | %.0f |",
            b.path("benchmark").asText().replaceFirst(".*\\.", ""), m.path("score").asDouble(), m.path("scoreError").asDouble()));
      }
    }
    md.add("");
    md.add("## Stage runner on the real broker");
    md.add("");
    md.add("`PipelineBenchmark`: transcripts go into a 12-partition topic, through one `Stage` (decode, process, send,");
    md.add("commit after the broker acknowledged the output; 8 calls in parallel per partition, ordered per call) and are");
    md.add("read back from the output topic. Latency is `producedAt` → read. In-process KRaft broker and Apicurio");
    md.add("registry on the same machine as the load. Alone:");
    md.add("`java -cp bench/target/bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/classpath.txt) io.salesvoice.bench.PipelineBenchmark bench/target/pipeline.json`");
    md.add("");
    md.add("| run | records | received | records/s | p50 ms | p90 ms | p99 ms | max ms |");
    md.add("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    if (Files.exists(pipeline)) {
      for (JsonNode r : JSON.readTree(pipeline.toFile())) {
        JsonNode l = r.path("latencyMs");
        md.add(String.format(Locale.ROOT, "| %s | %d | %d | %.0f | %.1f | %.1f | %.1f | %.1f |", r.path("run").asText(),
            r.path("records").asInt(), r.path("received").asInt(), r.path("throughputPerSecond").asDouble(),
            l.path("p50").asDouble(), l.path("p90").asDouble(), l.path("p99").asDouble(), l.path("max").asDouble()));
      }
    }
    if (Files.isDirectory(extra)) {
      try (var files = Files.list(extra)) {
        for (Path section : files.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
          md.add("");
          md.addAll(Files.readAllLines(section));
        }
      }
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.write(out, md);
    System.out.println("wrote " + out);
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  private static long memoryGiB() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return Math.round(sun.getTotalMemorySize() / (1024.0 * 1024 * 1024));
    }
    return -1;
  }
}
