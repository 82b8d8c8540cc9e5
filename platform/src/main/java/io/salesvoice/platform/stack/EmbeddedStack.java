package io.salesvoice.platform.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The real local stack without Docker: an in-process KRaft broker and an Apicurio registry child process. */
public final class EmbeddedStack implements KafkaStack {

  private final EmbeddedKafkaBroker broker;
  private final ApicurioRegistryProcess registry;
  private final Path dataDir;
  private final boolean deleteOnClose;

  private EmbeddedStack(EmbeddedKafkaBroker broker, ApicurioRegistryProcess registry, Path dataDir, boolean deleteOnClose) {
    this.broker = broker;
    this.registry = registry;
    this.dataDir = dataDir;
    this.deleteOnClose = deleteOnClose;
  }

  /** Ports and places of one stack. Port 0 means any free port. */
  public record Settings(Path stackDir, Path dataDir, int kafkaPort, int controllerPort, int registryPort,
                         boolean deleteOnClose) {

    /** A throw-away stack for a test run: free ports, a temporary data directory deleted on close. */
    public static Settings forTests(Path stackDir) {
      try {
        return new Settings(stackDir, Files.createTempDirectory("sva-stack-"), 0, 0, 0, true);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Starts the broker and the registry in parallel (the registry is the slower of the two). */
  public static EmbeddedStack start(Settings settings) {
    Path runner = ApicurioRegistryProcess.locateRunnerJar(settings.stackDir());
    int kafkaPort = portOrFree(settings.kafkaPort());
    int controllerPort = portOrFree(settings.controllerPort());
    int registryPort = portOrFree(settings.registryPort());
    var registryStart = new java.util.concurrent.CompletableFuture<ApicurioRegistryProcess>();
    Thread starter = new Thread(() -> {
      try {
        registryStart.complete(ApicurioRegistryProcess.start(runner, settings.dataDir().resolve("registry"), registryPort));
      } catch (RuntimeException e) {
        registryStart.completeExceptionally(e);
      }
    }, "sva-registry-start");
    starter.start();
    EmbeddedKafkaBroker broker;
    try {
      broker = EmbeddedKafkaBroker.start(settings.dataDir().resolve("kafka"), kafkaPort, controllerPort);
    } catch (RuntimeException e) {
      registryStart.thenAccept(ApicurioRegistryProcess::close);
      throw e;
    }
    try {
      return new EmbeddedStack(broker, registryStart.join(), settings.dataDir(), settings.deleteOnClose());
    } catch (java.util.concurrent.CompletionException e) {
      broker.close();
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  @Override
  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  @Override
  public String schemaRegistryUrl() {
    return registry.url();
  }

  /** The registry's operating-system processes, to check that none outlives the stack. */
  public java.util.List<ProcessHandle> registryProcesses() {
    return registry.processes();
  }

  public Path dataDir() {
    return dataDir;
  }

  @Override
  public void close() {
    try {
      registry.close();
    } finally {
      broker.close();
      if (deleteOnClose) {
        deleteRecursively(dataDir);
      }
    }
  }

  static int portOrFree(int port) {
    if (port != 0) {
      return port;
    }
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new LocalStackException("no free local port", e);
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
