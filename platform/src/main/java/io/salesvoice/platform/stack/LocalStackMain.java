package io.salesvoice.platform.stack;

import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.topics.TopicProvisioner;
import io.salesvoice.platform.topics.Topics;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;

/**
 * {@code ./sva up}: the local stack as one process — a real Kafka broker, the schema registry and the catalogue's
 * topics — until it is stopped with Ctrl-C or SIGTERM ({@code ./sva down}).
 */
public final class LocalStackMain {

  private LocalStackMain() {
  }

  public static void main(String[] args) throws InterruptedException {
    long began = System.nanoTime();
    Path dataDir = Path.of(env("SVA_DATA_DIR", ".sva/data"));
    EmbeddedStack.Settings settings = new EmbeddedStack.Settings(
        StackDirectory.locate(), dataDir,
        Integer.parseInt(env("SVA_KAFKA_PORT", "9092")),
        Integer.parseInt(env("SVA_KAFKA_CONTROLLER_PORT", "9093")),
        Integer.parseInt(env("SVA_REGISTRY_PORT", "8081")),
        false);
    EmbeddedStack stack;
    try {
      stack = EmbeddedStack.start(settings);
    } catch (LocalStackException e) {
      System.err.println("sva: the local stack did not start: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stack.close();
      System.out.println("sva: local stack stopped; data kept in " + dataDir.toAbsolutePath());
      stopped.countDown();
    }, "sva-stack-shutdown"));

    KafkaSettings kafka = KafkaSettings.of(stack.bootstrapServers(), stack.schemaRegistryUrl(), "sva-stack");
    try (Admin admin = Admin.create(kafka.adminConfig())) {
      new TopicProvisioner(admin, (short) 1).ensure(Topics.ALL);
    }
    System.out.printf("sva: local stack ready in %.1f s%n", (System.nanoTime() - began) / 1e9);
    System.out.println("  Kafka bootstrap servers: " + stack.bootstrapServers());
    System.out.println("  Schema registry URL:     " + stack.schemaRegistryUrl());
    System.out.println("  Data directory:          " + dataDir.toAbsolutePath());
    System.out.flush();
    stopped.await();
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
