package io.salesvoice.platform.stack;

import java.io.IOException;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apicurio Registry run as a child process: the schema registry of the local stack and the tests, reached through its
 * Confluent-compatible API so nothing in the project depends on Apicurio itself.
 */
public final class ApicurioRegistryProcess implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ApicurioRegistryProcess.class);
  static final String CCOMPAT_PATH = "/apis/ccompat/v7";
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private final Process process;
  private final String url;
  private final Path logFile;

  private ApicurioRegistryProcess(Process process, String url, Path logFile) {
    this.process = process;
    this.url = url;
    this.logFile = logFile;
  }

  /**
   * Starts the registry on {@code port}, keeping its schemas in an H2 file under {@code dataDir} so a restarted stack
   * still decodes the records already in Kafka. Returns once the Confluent-compatible API answers.
   */
  public static ApicurioRegistryProcess start(Path runnerJar, Path dataDir, int port) {
    try {
      Files.createDirectories(dataDir);
      Path logFile = dataDir.resolve("registry.log");
      List<String> command = command(runnerJar, dataDir, port);
      Process process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
          .start();
      String url = "http://127.0.0.1:" + port + CCOMPAT_PATH;
      ApicurioRegistryProcess registry = new ApicurioRegistryProcess(process, url, logFile);
      try {
        registry.awaitReady(Duration.ofSeconds(Long.getLong("sva.registry.start-timeout-seconds", 240)));
        // Confluent's registry defaults to BACKWARD, Apicurio to NONE: make the local registry behave like production.
        registry.put("/config", "{\"compatibility\":\"BACKWARD\"}");
      } catch (RuntimeException e) {
        registry.close();
        throw e;
      }
      log.info("Schema registry (Apicurio, Confluent-compatible API) ready at {}", url);
      return registry;
    } catch (IOException e) {
      throw new LocalStackException("cannot start the schema registry from " + runnerJar, e);
    }
  }

  /** Finds the Apicurio runner jar the build unpacked into the local-stack directory. */
  public static Path locateRunnerJar(Path stackDir) {
    Path dir = stackDir.resolve("apicurio-registry");
    try (Stream<Path> files = Files.list(dir)) {
      Optional<Path> runner = files.filter(f -> f.getFileName().toString().endsWith("-runner.jar")).findFirst();
      return runner.orElseThrow(() -> missing(dir));
    } catch (IOException e) {
      throw missing(dir);
    }
  }

  private static LocalStackException missing(Path dir) {
    return new LocalStackException("the Apicurio Registry server is not in " + dir
        + "; the platform module's build unpacks it there: run ./mvnw -q -pl platform -am package -DskipTests");
  }

  /** The registry's process and its children: what must be gone once it is closed. */
  public java.util.List<ProcessHandle> processes() {
    java.util.List<ProcessHandle> all = new ArrayList<>();
    all.add(process.toHandle());
    process.descendants().forEach(all::add);
    return all;
  }

  public String url() {
    return url;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static List<String> command(Path runnerJar, Path dataDir, int port) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> jvm = new ArrayList<>(List.of(
        java, "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dquarkus.http.host=127.0.0.1",
        "-Dquarkus.http.port=" + port,
        // Its management and health endpoints must not open a second port on every interface.
        "-Dquarkus.management.enabled=false",
        "-Dquarkus.datasource.jdbc.url=jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("registry")
            + ";DB_CLOSE_ON_EXIT=FALSE",
        "-Dquarkus.datasource.jdbc.min-size=1",
        "-Dquarkus.datasource.jdbc.initial-size=1",
        // Same schema, different whitespace: same id, as Confluent's registry does.
        "-Dregistry.ccompat.use-canonical-hash=true",
        "-Dquarkus.log.level=WARN",
        "-jar", runnerJar.toAbsolutePath().toString()));
    return orphanSafe(jvm);
  }

  /**
   * A JVM killed with SIGKILL runs no shutdown hook; a small shell watchdog ends the registry when its parent dies, so
   * no orphan outlives a killed test run or stack.
   */
  private static List<String> orphanSafe(List<String> command) {
    if (!Files.isExecutable(Path.of("/bin/sh"))) {
      return command;
    }
    String parent = String.valueOf(ProcessHandle.current().pid());
    String script = "\"$@\" & child=$!; trap 'kill $child 2>/dev/null; wait $child; exit 0' TERM INT; "
        + "while kill -0 " + parent + " 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done; "
        + "kill $child 2>/dev/null; wait $child";
    List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", script, "sva-registry"));
    wrapped.addAll(command);
    return wrapped;
  }

  private void awaitReady(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new LocalStackException("the schema registry exited with " + process.exitValue() + "; " + tail());
      }
      try {
        HttpResponse<Void> response = http.send(
            HttpRequest.newBuilder(URI.create(url + "/subjects")).timeout(Duration.ofSeconds(2)).GET().build(),
            HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LocalStackException("interrupted while waiting for the schema registry", e);
      }
      sleep(Duration.ofMillis(100));
    }
    throw new LocalStackException("the schema registry did not answer at " + url + " within " + timeout + "; " + tail());
  }

  private void put(String path, String json) {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(url + path))
              .header("Content-Type", CONTENT_TYPE)
              .PUT(HttpRequest.BodyPublishers.ofString(json)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new LocalStackException("the schema registry refused PUT " + path + ": " + response.body());
      }
    } catch (IOException e) {
      throw new LocalStackException("cannot configure the schema registry", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalStackException("interrupted while configuring the schema registry", e);
    }
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(logFile);
      return "last lines of " + logFile + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "see " + logFile;
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalStackException("interrupted while waiting for the schema registry", e);
    }
  }
}
