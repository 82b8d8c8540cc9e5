package io.salesvoice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.simulators.bitrix.SimulatedBitrix24;
import io.salesvoice.simulators.demo.DemoCampaign;
import io.salesvoice.simulators.demo.DemoSummary;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How many simulated calls the whole local stack holds at once on this machine: campaigns of rising concurrency through
 * every worker (each its own JVM), with voice to voice as the callees heard it and the CPU each process used, so the
 * part that saturates first is named by measurement. Runs only when asked: {@code ./mvnw -pl e2e verify -Dsweep}
 * (levels: {@code -Dsweep.levels=1,2,4,8}); writes {@code e2e/target/concurrency-sweep.md}.
 */
@Tag("sweep")
@ExtendWith(LocalStackExtension.class)
class ConcurrencySweepBenchmarkTest {

  private final KafkaStack stack;
  private Pipeline pipeline;
  private SimulatedBitrix24 portal;

  ConcurrencySweepBenchmarkTest(KafkaStack stack) {
    this.stack = stack;
  }

  @AfterEach
  void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
    if (portal != null) {
      portal.close();
    }
  }

  @Test
  void voiceToVoiceAndCpuPerConcurrencyLevel() throws Exception {
    Path logs = Files.createDirectories(Path.of("target", "sweep-logs"));
    String webhookToken = Pipeline.secret(16);
    // an Enterprise-sized portal limit: the sweep measures the voice path, not Bitrix24's 2 requests/s drain
    portal = new SimulatedBitrix24(250, 5, 0, webhookToken);
    pipeline = Pipeline.start(stack, portal, logs);

    int[] levels = Arrays.stream(System.getProperty("sweep.levels", "1,2,4,8").split(","))
        .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    List<String> rows = new ArrayList<>();
    for (int level : levels) {
      // conversational personas dominate the demo's lead list; three leads per concurrent call keep the lines busy
      int leads = Math.max(4, 3 * level);
      Map<String, Long> cpuBefore = pipeline.cpuTicks();
      long[] machineBefore = machineTicks();
      Instant started = Instant.now();
      DemoCampaign.Settings settings = new DemoCampaign.Settings(pipeline.uri("dialer"), pipeline.dialerApiKey(),
          pipeline.uri("simulators"), URI.create(portal.webhookUrl()).resolve("/"),
          pipeline.uri("analytics-stream"), "sweep-" + level, leads, 0, level, Duration.ofMinutes(20));
      DemoCampaign.Result result = new DemoCampaign(settings).run(System.out);
      double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
      Map<String, Long> cpuAfter = pipeline.cpuTicks();
      long[] machineAfter = machineTicks();
      assertThat(result.finished()).as("campaign at %d calls at once: %s", level, result.dialerStatus()).isTrue();
      pipeline.assertAlive();

      List<Long> v2v = DemoSummary.voiceToVoice(result.simulatedCalls());
      long connected = result.simulatedCalls().stream().filter(c -> c.path("turns").size() > 0).count();
      double busy = 100.0 * (machineAfter[0] - machineBefore[0]) / Math.max(1, machineAfter[1] - machineBefore[1]);
      // cores each process used on average over the campaign (clock ticks are 1/100 s on Linux)
      Map<String, Double> cores = new LinkedHashMap<>();
      cpuAfter.forEach((name, ticks) -> cores.put(name, (ticks - cpuBefore.getOrDefault(name, 0L)) / 100.0 / seconds));
      List<String> top = cores.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
          .limit(3).map(e -> String.format("%s %.2f", e.getKey(), e.getValue())).toList();
      String row = String.format("| %d | %d | %d (%d) | %d | %s | %s | %s | %.0f %% | %s | %s |", level, leads,
          result.dialerStatus().path("attempts").asInt(), connected, v2v.size(), ms(v2v, 50), ms(v2v, 95), ms(v2v, 100),
          busy, String.join(", ", top), stageP90(result.analytics()));
      System.out.println("SWEEP " + row);
      rows.add(row);
    }
    String table = "| calls at once | leads | calls (with a conversation) | answers heard | voice to voice p50 | p95 "
        + "| max | machine CPU busy | cores used, top 3 processes | stage latency p90 (analytics) |\n"
        + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n" + String.join("\n", rows) + "\n";
    Files.writeString(Path.of("target", "concurrency-sweep.md"), table);
    System.out.print(table);
  }

  private static String ms(List<Long> sorted, double p) {
    return sorted.isEmpty() ? "–" : String.format("%,d ms", DemoSummary.percentile(sorted, p));
  }

  /** The p90 of each stage the analytics view of the campaign measured. */
  private static String stageP90(JsonNode analytics) {
    List<String> stages = new ArrayList<>();
    for (JsonNode l : analytics.path("total").path("latency")) {
      String engine = l.path("engine").asText();
      if ("*".equals(engine) || "stt+dialog".equals(engine)) {
        stages.add(l.path("stage").asText() + " " + l.path("p90Ms").asLong());
      }
    }
    stages.sort(Comparator.naturalOrder());
    return stages.isEmpty() ? "–" : String.join(", ", stages);
  }

  /** Busy and total clock ticks of the whole machine, from the first line of {@code /proc/stat}. */
  private static long[] machineTicks() throws IOException {
    String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long total = 0;
    long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
    for (int i = 1; i < Math.min(f.length, 9); i++) {
      total += Long.parseLong(f[i]);
    }
    return new long[] {total - idle, total};
  }
}
