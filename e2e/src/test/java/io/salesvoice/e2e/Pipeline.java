package io.salesvoice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.simulators.bitrix.SimulatedBitrix24;
import io.salesvoice.simulators.demo.DemoCampaign;
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

/**
 * The whole pipeline as the end-to-end and fault tests run it: every worker from its exec jar in its own JVM on a given
 * broker and registry, the simulated carrier as callees and a simulated Bitrix24 portal in this JVM. Workers can be
 * added (a second instance), killed and restarted on their port, which is what the fault tests do to it.
 */
final class Pipeline implements AutoCloseable {

  /** Every process of the simulated path, in start order (the carrier is the {@code simulators} jar). */
  static final List<String> MODULES = List.of("ingest-audio", "stt-worker", "dialog-worker", "tts-worker", "crm-sink",
      "analytics-stream", "dialer", "simulators");

  final Map<String, String> env = new LinkedHashMap<>();
  final Path logs;
  final SimulatedBitrix24 portal;
  private final List<WorkerProcess> processes = new ArrayList<>();
  private final Map<String, Integer> instances = new LinkedHashMap<>();
  private final Set<WorkerProcess> killed = new java.util.HashSet<>();

  private final boolean ownsPortal;

  private Pipeline(Path logs, SimulatedBitrix24 portal, boolean ownsPortal) {
    this.logs = logs;
    this.portal = portal;
    this.ownsPortal = ownsPortal;
  }

  /** Starts a portal of its own and every worker against the broker and registry; returns once each is started. */
  static Pipeline start(String bootstrapServers, String registryUrl, Path logs) throws IOException {
    return start(bootstrapServers, registryUrl, logs, new SimulatedBitrix24(50, 2, 0, secret(16)), true);
  }

  /** Starts every worker against {@code stack}, crm-sink writing to {@code portal}; returns once all are ready. */
  static Pipeline start(KafkaStack stack, SimulatedBitrix24 portal, Path logs) throws IOException,
      InterruptedException {
    Pipeline p = start(stack.bootstrapServers(), stack.schemaRegistryUrl(), logs, portal, false);
    try {
      p.awaitReady(Duration.ofMinutes(5));
      return p;
    } catch (IOException | InterruptedException | RuntimeException e) {
      p.close();
      throw e;
    }
  }

  private static Pipeline start(String bootstrapServers, String registryUrl, Path logs, SimulatedBitrix24 portal,
                                boolean ownsPortal) throws IOException {
    Files.createDirectories(logs);
    Pipeline p = new Pipeline(logs, portal, ownsPortal);
    try {
      p.env.put("SVA_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
      p.env.put("SVA_SCHEMA_REGISTRY_URL", registryUrl);
      p.env.put("SVA_INGEST_TOKEN_SECRET", secret(32));
      p.env.put("SVA_INGEST_API_KEY", secret(16));
      p.env.put("SVA_DIALER_API_KEY", secret(16));
      // a simulated call lasts 5 min at most: calls of a killed edge are ended by the dialer after 6
      p.env.put("SVA_DIALER_MAX_CALL_DURATION", "6m");
      p.env.put("SVA_CRM_ADMIN_TOKEN", secret(16));
      p.env.put("SVA_CRM_BITRIX24_WEBHOOK_URL", p.portal.webhookUrl());
      p.env.put("SVA_ANALYTICS_STATE_DIR", Files.createTempDirectory(logs.toAbsolutePath(), "streams").toString());
      // one line per utterance (start, end, decoder wait, passes): what a silent agent in a failed run is read from
      p.env.put("LOGGING_LEVEL_IO_SALESVOICE_STT", "DEBUG");
      WorkerProcess ingest = p.startInstance("ingest-audio");
      p.env.put("SVA_INGEST_MEDIA_URL", "ws://127.0.0.1:" + ingest.port + "/media/twilio");
      for (String m : MODULES.subList(1, MODULES.size())) {
        p.startInstance(m);
      }
      return p;
    } catch (IOException | RuntimeException e) {
      p.close();
      throw e;
    }
  }

  /** Waits until every running worker answers its liveness probe and the dialer has restored its state. */
  void awaitReady(Duration timeout) throws IOException, InterruptedException {
    for (WorkerProcess w : running()) {
      w.awaitLive(timeout);
    }
    awaitHealthy(worker("dialer"), timeout);   // the dialer answers 503 until its state is restored
  }

  /** Starts one more instance of {@code module} on a free port (its log is {@code <module>-<n>.log}). */
  WorkerProcess startInstance(String module) throws IOException {
    int n = instances.merge(module, 1, Integer::sum);
    Map<String, String> own = new LinkedHashMap<>(env);
    if (n > 1 && module.equals("analytics-stream")) {
      // each Kafka Streams instance locks its own state directory
      own.put("SVA_ANALYTICS_STATE_DIR", Files.createTempDirectory(logs.toAbsolutePath(), "streams").toString());
    }
    WorkerProcess w = WorkerProcess.start(module, own, logs, WorkerProcess.freePort(), n == 1 ? module : module + "-" + n);
    processes.add(w);
    return w;
  }

  /** Starts {@code dead}'s module again on the same port, as a supervisor restarts a crashed process. */
  WorkerProcess restart(WorkerProcess dead) throws IOException {
    if (dead.alive()) {
      throw new IllegalStateException(dead.name + " still runs");
    }
    processes.remove(dead);
    WorkerProcess w = WorkerProcess.start(dead.name, env, logs, dead.port, dead.log.getFileName().toString()
        .replaceFirst("\\.log$", ""));
    processes.add(w);
    return w;
  }

  /** SIGKILLs {@code w}: a fault injected on purpose, not a death {@link #unexpectedlyDead()} reports. */
  void kill(WorkerProcess w) throws InterruptedException {
    killed.add(w);
    w.kill();
  }

  /** Processes that died without being killed on purpose. */
  List<WorkerProcess> unexpectedlyDead() {
    return processes.stream().filter(w -> !w.alive() && !killed.contains(w)).toList();
  }

  /** The first running instance of {@code module}. */
  WorkerProcess worker(String module) {
    return processes.stream().filter(w -> w.name.equals(module) && w.alive()).findFirst()
        .orElseThrow(() -> new IllegalStateException("no running " + module));
  }

  List<WorkerProcess> instancesOf(String module) {
    return processes.stream().filter(w -> w.name.equals(module)).toList();
  }

  List<WorkerProcess> running() {
    return processes.stream().filter(WorkerProcess::alive).toList();
  }

  List<WorkerProcess> all() {
    return List.copyOf(processes);
  }

  URI uri(String module) {
    return worker(module).uri("");
  }

  String dialerApiKey() {
    return env.get("SVA_DIALER_API_KEY");
  }

  void assertAlive() {
    processes.forEach(w -> assertThat(w.alive() || killed.contains(w))
        .as(w.name + " died; its log ends with:\n" + w.tail()).isTrue());
  }

  /** CPU clock ticks (user + system) each worker, the broker (this JVM) and the registry have used so far. */
  Map<String, Long> cpuTicks() throws IOException {
    Map<String, Long> ticks = new LinkedHashMap<>();
    for (WorkerProcess w : running()) {
      ticks.merge(w.name, cpuTicks(w.pid()), Long::sum);
    }
    ticks.put("broker", cpuTicks(ProcessHandle.current().pid()));   // in-process, with the test driver
    // the schema registry is this JVM's other child process
    Set<Long> workerPids = processes.stream().map(WorkerProcess::pid).collect(Collectors.toSet());
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

  /** A campaign of {@code leads} simulated calls (personas in the demo's order), {@code concurrency} at once. */
  DemoCampaign.Settings campaign(String id, int leads, int doNotCall, int concurrency, Duration timeout) {
    return new DemoCampaign.Settings(worker("dialer").uri(""), env.get("SVA_DIALER_API_KEY"),
        worker("simulators").uri(""), URI.create(portal.webhookUrl()).resolve("/"),
        worker("analytics-stream").uri(""), id, leads, doNotCall, concurrency, timeout);
  }

  static void awaitHealthy(WorkerProcess w, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpClient http = HttpClient.newHttpClient();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(w.uri("/actuator/health"))
            .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notListening) {
        // starting
      }
      if (!w.alive()) {
        throw new IllegalStateException(w.name + " died; its log ends with:\n" + w.tail());
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
    processes.forEach(WorkerProcess::close);
    if (ownsPortal) {
      portal.close();
    }
  }
}
