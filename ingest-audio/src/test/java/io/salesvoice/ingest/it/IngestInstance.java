package io.salesvoice.ingest.it;

import io.salesvoice.ingest.IngestAudioApplication;
import io.salesvoice.ingest.call.ReplyPartitions;
import io.salesvoice.platform.security.CallTokens;
import io.salesvoice.platform.stack.KafkaStack;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** A real ingest-audio application on a random port, wired to the test stack's broker and registry. */
final class IngestInstance implements AutoCloseable {

  static final String TOKEN_SECRET = "test-token-secret-0123456789";
  static final String API_KEY = "test-api-key";

  private final ConfigurableApplicationContext context;
  final String instanceId;

  private IngestInstance(ConfigurableApplicationContext context, String instanceId) {
    this.context = context;
    this.instanceId = instanceId;
  }

  static IngestInstance start(KafkaStack stack, String instanceId, String group, Map<String, String> extra) {
    Map<String, Object> p = new HashMap<>();
    p.put("server.port", "0");
    p.put("sva.kafka.bootstrap-servers", stack.bootstrapServers());
    p.put("sva.kafka.schema-registry-url", stack.schemaRegistryUrl());
    p.put("sva.kafka.client-id", instanceId);
    p.put("sva.ingest.instance-id", instanceId);
    p.put("sva.ingest.token-secret", TOKEN_SECRET);
    p.put("sva.ingest.api-key", API_KEY);
    p.put("sva.ingest.inbound-sample-rate", "8000");
    p.put("sva.ingest.playback-group", group);
    p.put("spring.main.banner-mode", "off");
    p.putAll(extra);
    // command-line arguments outrank application.yml; default properties would not
    String[] args = p.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    ConfigurableApplicationContext ctx = new SpringApplicationBuilder(IngestAudioApplication.class).run(args);
    return new IngestInstance(ctx, instanceId);
  }

  static String uniqueGroup() {
    return "sva-ingest-test-" + UUID.randomUUID().toString().substring(0, 8);
  }

  int port() {
    return ((ReactiveWebServerApplicationContext) context).getWebServer().getPort();
  }

  URI ws(String pathAndQuery) {
    return URI.create("ws://127.0.0.1:" + port() + pathAndQuery);
  }

  String http() {
    return "http://127.0.0.1:" + port();
  }

  <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  String token(String callId) {
    return bean(CallTokens.class).issue(callId, Duration.ofMinutes(10));
  }

  /** Waits until this instance owns agent-audio partitions, so calls start without waiting. */
  IngestInstance awaitPartitions(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (bean(ReplyPartitions.class).owned().isEmpty()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(instanceId + " was assigned no partition of sva.audio.out");
      }
      sleep(50);
    }
    return this;
  }

  double counter(String name, String... tags) {
    var search = bean(io.micrometer.core.instrument.MeterRegistry.class).find(name).tags(tags);
    return search.counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    context.close();
  }
}
