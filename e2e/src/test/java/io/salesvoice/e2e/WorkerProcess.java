package io.salesvoice.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One worker of the pipeline running from the exec jar the build made, as it runs in production: its own JVM. */
final class WorkerProcess implements AutoCloseable {

  static final String VERSION = "0.1.0-SNAPSHOT";

  final String name;
  final int port;
  final Path log;
  private final Process process;

  private WorkerProcess(String name, int port, Path log, Process process) {
    this.name = name;
    this.port = port;
    this.log = log;
    this.process = process;
  }

  /** The exec jar of {@code module}, built by {@code ./mvnw package} (the reactor builds it before this module). */
  static Path jarOf(String module) {
    Path jar = Path.of("..", module, "target", module + "-" + VERSION + "-exec.jar").toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build the workers first (./mvnw package -DskipTests)");
    }
    return jar;
  }

  static WorkerProcess start(String module, Map<String, String> env, Path logDir) throws IOException {
    return start(module, env, logDir, freePort(), module);
  }

  /** Starts {@code module} on {@code port}, logging to {@code <logName>.log} (a second instance or a restart). */
  static WorkerProcess start(String module, Map<String, String> env, Path logDir, int port, String logName)
      throws IOException {
    // Sphinx4 holds a grammar and a language-model recognizer per decoding thread: some hundred megabytes each
    String heap = module.equals("stt-worker") ? "-Xmx1g" : "-Xmx384m";
    List<String> command = new ArrayList<>(List.of(javaBin(), heap, "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC", "-jar", jarOf(module).toString()));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    pb.environment().put("SVA_HTTP_PORT", Integer.toString(port));
    Path log = logDir.resolve(logName + ".log");
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return new WorkerProcess(module, port, log, pb.start());
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** Waits until the worker answers its liveness probe; fails with the end of its log when it died or took too long. */
  void awaitLive(Duration timeout) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + "; its log ends with:\n" + tail());
      }
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri("/actuator/health/liveness"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(name + " is not live after " + timeout + "; its log ends with:\n" + tail());
  }

  /** One liveness probe: whether the worker answers it with 200 right now. */
  boolean live() {
    try {
      HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri("/actuator/health/liveness"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** The exit code once the process ended, empty while it runs. */
  java.util.Optional<Integer> exitCode() {
    return process.isAlive() ? java.util.Optional.empty() : java.util.Optional.of(process.exitValue());
  }

  /** SIGKILL, as a crashed host or the OOM killer ends a process: no shutdown hook, no graceful leave of the group. */
  void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " (pid " + process.pid() + ") survived SIGKILL for 30 s");
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
