package io.salesvoice.analytics.it;

import io.salesvoice.analytics.AnalyticsStreamApplication;
import io.salesvoice.analytics.streams.AnalyticsStreams;
import io.salesvoice.platform.stack.KafkaStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** A real analytics-stream application on a random port, wired to the test stack's broker and registry. */
public final class AnalyticsInstance implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final ConfigurableApplicationContext context;

  private AnalyticsInstance(ConfigurableApplicationContext context) {
    this.context = context;
  }

  public static AnalyticsInstance start(KafkaStack stack, String applicationId, Map<String, String> extra) {
    Map<String, Object> p = new HashMap<>();
    p.put("server.port", "0");
    p.put("spring.main.banner-mode", "off");
    p.put("sva.kafka.bootstrap-servers", stack.bootstrapServers());
    p.put("sva.kafka.schema-registry-url", stack.schemaRegistryUrl());
    p.put("sva.analytics.application-id", applicationId);
    p.put("sva.analytics.advertised-host", "127.0.0.1");
    try {
      p.put("sva.analytics.state-dir", Files.createTempDirectory("analytics-state-").toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    // A closed instance is noticed in seconds, not after the 45 s default session timeout.
    p.put("sva.analytics.streams.[consumer.session.timeout.ms]", "6000");
    p.put("sva.analytics.streams.[consumer.heartbeat.interval.ms]", "1000");
    p.putAll(extra);
    // As arguments: they must beat application.yml, which default properties do not.
    String[] args = p.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    return new AnalyticsInstance(new SpringApplicationBuilder(AnalyticsStreamApplication.class).run(args));
  }

  public int port() {
    return ((ReactiveWebServerApplicationContext) context).getWebServer().getPort();
  }

  public String address() {
    return "127.0.0.1:" + port();
  }

  public KafkaStreams streams() {
    return context.getBean(AnalyticsStreams.class).streams();
  }

  public Path stateDir() {
    return Path.of(context.getEnvironment().getProperty("sva.analytics.state-dir"));
  }

  /** GET on this instance; the body as text. */
  public HttpResponse<String> get(String path) {
    long started = System.nanoTime();
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + address() + path))
          .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
      long ms = (System.nanoTime() - started) / 1_000_000;
      if (ms > 2_000) {
        System.out.println("slow answer: GET " + path + " on " + address() + " took " + ms + " ms -> " + r.statusCode()
            + " " + r.headers().map());
      }
      return r;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
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
