package io.salesvoice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesvoice.platform.stack.KafkaStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Every worker of the pipeline and the simulated carrier, each in its own JVM, on one broker and registry. */
final class Pipeline implements AutoCloseable {

  static final List<String> MODULES = List.of("ingest-audio", "stt-worker", "dialog-worker", "tts-worker", "crm-sink",
      "analytics-stream", "dialer", "simulators");

  final Map<String, String> env;
  final List<WorkerProcess> workers = new ArrayList<>();

  private Pipeline(Map<String, String> env) {
    this.env = env;
  }

  /** Starts every module against {@code stack}, crm-sink writing to {@code webhookUrl}; returns when all are ready. */
  static Pipeline start(KafkaStack stack, String webhookUrl, Path logs) throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SVA_KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
    env.put("SVA_SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
    env.put("SVA_INGEST_TOKEN_SECRET", secret(32));
    env.put("SVA_INGEST_API_KEY", secret(16));
    env.put("SVA_DIALER_API_KEY", secret(16));
    env.put("SVA_CRM_ADMIN_TOKEN", secret(16));
    env.put("SVA_CRM_BITRIX24_WEBHOOK_URL", webhookUrl);
    env.put("SVA_ANALYTICS_STATE_DIR", Files.createTempDirectory(logs.toAbsolutePath(), "streams").toString());
    Pipeline pipeline = new Pipeline(env);
    try {
      WorkerProcess ingest = pipeline.add(WorkerProcess.start("ingest-audio", env, logs));
      env.put("SVA_INGEST_MEDIA_URL", "ws://127.0.0.1:" + ingest.port + "/media/twilio");
      for (String m : MODULES.subList(1, MODULES.size())) {
        pipeline.add(WorkerProcess.start(m, env, logs));
      }
      for (WorkerProcess w : pipeline.workers) {
        w.awaitLive(Duration.ofMinutes(5));
      }
      pipeline.awaitHealthy("dialer", Duration.ofMinutes(3));   // 503 until the dialer's state is restored
      return pipeline;
    } catch (Exception | AssertionError e) {
      pipeline.close();
      throw e;
    }
  }

  private WorkerProcess add(WorkerProcess w) {
    workers.add(w);
    return w;
  }

  WorkerProcess get(String module) {
    return workers.stream().filter(w -> w.name.equals(module)).findFirst().orElseThrow();
  }

  URI uri(String module) {
    return get(module).uri("");
  }

  String dialerApiKey() {
    return env.get("SVA_DIALER_API_KEY");
  }

  void assertAlive() {
    workers.forEach(w -> assertThat(w.alive()).as(w.name + " died; its log ends with:\n" + w.tail()).isTrue());
  }

  /** CPU clock ticks (user + system) each worker, the broker (this JVM) and the registry have used so far. */
  Map<String, Long> cpuTicks() throws IOException {
    Map<String, Long> ticks = new LinkedHashMap<>();
    for (WorkerProcess w : workers) {
      ticks.put(w.name, cpuTicks(w.pid()));
    }
    ticks.put("broker", cpuTicks(ProcessHandle.current().pid()));   // in-process, with the test driver
    // the schema registry is this JVM's other child process
    Set<Long> workerPids = workers.stream().map(WorkerProcess::pid).collect(Collectors.toSet());
    long registry = 0;
    for (ProcessHandle child : ProcessHandle.current().children().toList()) {
      if (!workerPids.contains(child.pid())) {
        registry += cpuTicks(child.pid());
      }
    }
    ticks.put("registry", registry);
    return ticks;
  }

  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    // fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th/13th
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  void awaitHealthy(String module, Duration timeout) throws Exception {
    WorkerProcess w = get(module);
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpClient http = HttpClient.newHttpClient();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(w.uri("/actuator/health")).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(w.name + " is not healthy after " + timeout + "; its log ends with:\n" + w.tail());
  }

  static String secret(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  @Override
  public void close() {
    workers.forEach(WorkerProcess::close);
  }
}
