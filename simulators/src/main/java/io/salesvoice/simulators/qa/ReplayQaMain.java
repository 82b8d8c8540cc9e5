package io.salesvoice.simulators.qa;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.salesvoice.simulators.qa.ReplayReport.CallReport;
import io.salesvoice.simulators.qa.ReplayReport.StageLatency;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./sva replay FILE...}: replays recorded calls through the running pipeline with {@link ReplayQa} and writes the
 * QA report ({@code report.json}, {@code report.html}). Environment: {@code SVA_INGEST_API_KEY} (required),
 * {@code SVA_REPLAY_SPEED} (0 = as fast as the pipeline takes it, 1 = real time; up to 100), {@code SVA_REPLAY_LANGUAGE}
 * (en-US), {@code SVA_REPLAY_TIMEOUT_SECONDS} (300: per replay, and for the analytics views after the last one),
 * {@code SVA_REPLAY_SETTLE_SECONDS} (5: how long a finished call's view must stay unchanged), {@code SVA_REPLAY_DIR}
 * (.sva/replay), {@code SVA_INGEST_URL} (http://127.0.0.1:8080), {@code SVA_ANALYTICS_URL} (http://127.0.0.1:8086);
 * stt-worker's and analytics-stream's progress is followed in Kafka ({@code SVA_KAFKA_BOOTSTRAP_SERVERS},
 * 127.0.0.1:9092; {@code SVA_ANALYTICS_APPLICATION_ID}; {@code SVA_REPLAY_FOLLOW_KAFKA=false} to rely on the views
 * alone) and stt-worker's metrics ({@code SVA_STT_URL}, http://127.0.0.1:8082). Exit status: 0 every call complete,
 * 1 some recording failed or stayed incomplete, 2 bad usage (no file, a missing file, bad setting), 3 pipeline
 * unreachable or key refused.
 */
public final class ReplayQaMain {

  private ReplayQaMain() {
  }

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.getenv()));
  }

  /** The whole command, minus the exit: returns the exit status. */
  static int run(String[] args, Map<String, String> env) throws InterruptedException {
    String problem = checkFiles(args);
    String key = env.get("SVA_INGEST_API_KEY");
    if (problem == null && (key == null || key.isBlank())) {
      problem = "SVA_INGEST_API_KEY is not set: replays need ingest-audio's API key (./sva replay reads it from "
          + ".sva/secrets.env)";
    }
    ReplayQa.Settings settings = null;
    if (problem == null) {
      try {
        settings = settings(env, key);
      } catch (IllegalArgumentException e) {
        problem = e.getMessage();
      }
    }
    if (problem != null) {
      System.err.println("sva replay: " + problem);
      return 2;
    }
    List<Path> files = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (String a : args) {
      Path p = Path.of(a).toAbsolutePath().normalize();
      files.add(p);
      labels.add(label(p));
    }
    ReplayReport report;
    quietKafkaClients();
    try (ReplayQa.Drain drain = drain(env)) {
      report = new ReplayQa(settings, drain).run(files, labels, System.err);
    } catch (ReplayQaException e) {
      System.err.println("sva replay: " + e.getMessage());
      return 3;
    }
    Path dir = Path.of(env.getOrDefault("SVA_REPLAY_DIR", ".sva/replay"));
    try {
      Path[] written = write(report, dir);
      System.out.print(summary(report));
      System.out.println("  Report: " + written[1].toAbsolutePath() + "  (JSON: " + written[0].toAbsolutePath() + ")");
    } catch (IOException e) {
      System.err.println("sva replay: cannot write the report into " + dir + ": " + e.getMessage());
      return 1;
    }
    return report.totals().complete() == report.totals().calls() ? 0 : 1;
  }

  /** Follows stt-worker and analytics-stream in Kafka unless {@code SVA_REPLAY_FOLLOW_KAFKA=false}. */
  private static ReplayQa.Drain drain(Map<String, String> env) {
    if ("false".equalsIgnoreCase(env.getOrDefault("SVA_REPLAY_FOLLOW_KAFKA", "true"))) {
      return ReplayQa.Drain.NONE;
    }
    return new KafkaDrain(env.getOrDefault("SVA_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
        KafkaDrain.Groups.local(env.getOrDefault("SVA_ANALYTICS_APPLICATION_ID", "analytics-stream"),
            URI.create(env.getOrDefault("SVA_STT_URL", "http://127.0.0.1:8082") + "/actuator/prometheus")));
  }

  /** The admin client's INFO (its whole configuration) and reconnect warnings are noise on this command's terminal. */
  private static void quietKafkaClients() {
    if (org.slf4j.LoggerFactory.getLogger("org.apache.kafka") instanceof ch.qos.logback.classic.Logger l) {
      l.setLevel(ch.qos.logback.classic.Level.ERROR);
    }
  }

  /** Null when every argument names a readable file; otherwise what is wrong, for the person who typed it. */
  static String checkFiles(String[] args) {
    if (args.length == 0) {
      return "no recording given: ./sva replay FILE.wav [FILE.wav...]";
    }
    List<String> problems = new ArrayList<>();
    for (String a : args) {
      Path p = Path.of(a);
      if (!Files.exists(p)) {
        problems.add("no such file: " + a);
      } else if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
        problems.add("not a readable file: " + a);
      }
    }
    return problems.isEmpty() ? null : String.join("; ", problems);
  }

  static ReplayQa.Settings settings(Map<String, String> env, String key) {
    double speed;
    try {
      speed = Double.parseDouble(env.getOrDefault("SVA_REPLAY_SPEED", "0"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("SVA_REPLAY_SPEED must be a number: 0 = as fast as the pipeline takes it, "
          + "1 = real time");
    }
    if (!(speed >= 0 && speed <= 100)) {
      throw new IllegalArgumentException("SVA_REPLAY_SPEED must be between 0 and 100 (ingest-audio's limit)");
    }
    Duration timeout = Duration.ofSeconds(positive(env, "SVA_REPLAY_TIMEOUT_SECONDS", 300));
    String runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    return new ReplayQa.Settings(URI.create(env.getOrDefault("SVA_INGEST_URL", "http://127.0.0.1:8080")),
        URI.create(env.getOrDefault("SVA_ANALYTICS_URL", "http://127.0.0.1:8086")), key, speed,
        env.getOrDefault("SVA_REPLAY_LANGUAGE", "en-US"), runId, timeout, timeout,
        Duration.ofSeconds(positive(env, "SVA_REPLAY_SETTLE_SECONDS", 5)), Duration.ofMillis(500));
  }

  private static long positive(Map<String, String> env, String name, long fallback) {
    try {
      long v = Long.parseLong(env.getOrDefault(name, Long.toString(fallback)));
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + " must be a whole number of seconds above 0");
  }

  /** Writes report.json and report.html into {@code dir}; returns their paths. */
  static Path[] write(ReplayReport report, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path json = dir.resolve("report.json");
    Path html = dir.resolve("report.html");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
    Files.writeString(html, HtmlReport.render(report), StandardCharsets.UTF_8);
    return new Path[] {json, html};
  }

  /** The report in a few lines for the terminal. */
  static String summary(ReplayReport r) {
    StringBuilder s = new StringBuilder();
    var t = r.totals();
    s.append(String.format(Locale.ROOT, "Replay QA %s: %d recording(s), %d complete, %d incomplete, %d failed%n",
        r.runId(), t.calls(), t.complete(), t.incomplete(), t.failed()));
    for (int i = 0; i < r.calls().size(); i++) {
      CallReport c = r.calls().get(i);
      s.append(String.format(Locale.ROOT, "  #%d %s  %s", i + 1, c.file(), c.status()));
      if (c.status() != ReplayReport.Status.FAILED) {
        s.append(String.format(Locale.ROOT, ", %.1f s, call %s, outcome %s, %d timeline entries", 
            c.durationMs() == null ? 0 : c.durationMs() / 1000.0, c.callId(), c.outcome(), c.turns().size()));
        s.append(String.format(Locale.ROOT, "%n      talk       %s%n", c.talk().agentRatio() == null
            ? "no speech transcribed" : String.format(Locale.ROOT, "agent %.0f%% (%.1f s), customer %.0f%% (%.1f s)",
            c.talk().agentRatio() * 100, c.talk().agentMs() / 1000.0, (1 - c.talk().agentRatio()) * 100,
            c.talk().customerMs() / 1000.0)));
        List<String> stages = new ArrayList<>();
        for (StageLatency l : c.latency()) {
          stages.add(l.p50Ms() != null ? String.format("%s p50 %d / p90 %d ms", l.stage(), l.p50Ms(), l.p90Ms())
              : String.format("%s mean %d / worst %d ms", l.stage(), l.meanMs(), l.maxMs()));
        }
        s.append("      latency    ").append(stages.isEmpty() ? "none measured" : String.join(", ", stages))
            .append('\n');
        s.append("      QA score   ").append(c.qaScore() == null ? "none" : String.format(Locale.ROOT, "%.0f", c.qaScore()))
            .append(c.qaReasons().isEmpty() ? "" : ": " + String.join("; ", c.qaReasons())).append('\n');
      } else {
        s.append('\n');
      }
      if (c.error() != null) {
        s.append("      problem    ").append(c.error()).append('\n');
      }
    }
    return s.toString();
  }

  private static String label(Path file) {
    Path cwd = Path.of("").toAbsolutePath();
    return file.startsWith(cwd) ? cwd.relativize(file).toString() : file.toString();
  }
}
