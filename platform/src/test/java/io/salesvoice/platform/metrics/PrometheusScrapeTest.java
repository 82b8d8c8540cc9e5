package io.salesvoice.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.kafka.Stage;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.schema.transcript.Transcript;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * A real Prometheus (Debian's {@code prometheus} package) scrapes a stage running on the real broker and answers a
 * query for the stage-latency metric the Grafana dashboard plots.
 */
@ExtendWith(LocalStackExtension.class)
class PrometheusScrapeTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void prometheusScrapesTheStageLatencyOfAStageOnTheRealBroker(KafkaStack stack, @TempDir Path dir) throws Exception {
    String binary = System.getenv().getOrDefault("PROMETHEUS_BIN", "/usr/bin/prometheus");
    assertThat(Path.of(binary)).as("Prometheus is not installed: apt-get install prometheus (.ci/run does)").exists();

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HttpServer endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    endpoint.createContext("/actuator/prometheus", exchange -> {
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    endpoint.start();

    Process prometheus = null;
    try (StackClients clients = new StackClients(stack); RecordSender sender = RecordSender.create(clients.settings())) {
      String in = clients.createTopicWithDeadLetters("scraped-in", 1);
      String out = clients.createTopicWithDeadLetters("scraped-out", 1);
      Disposable stage = Stage.builder("scraped", Transcript.class)
          .consume(in)
          .process(r -> Flux.just(r.reply(out, r.value())))
          .kafka(clients.settings(), sender)
          .metrics(registry)
          .build()
          .start();
      for (int i = 0; i < 5; i++) {
        clients.send(in, "call-" + i, transcript("call-" + i));
      }
      assertThat(clients.read(out, 5, Duration.ofSeconds(60))).hasSize(5);

      int port = freePort();
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(config, """
          global:
            scrape_interval: 1s
          scrape_configs:
            - job_name: sva-stage
              metrics_path: /actuator/prometheus
              static_configs:
                - targets: ["127.0.0.1:%d"]
          """.formatted(endpoint.getAddress().getPort()));
      prometheus = new ProcessBuilder(binary, "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
          "--web.listen-address=127.0.0.1:" + port)
          .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();

      String query = "sum(sva_stage_processing_seconds_count{stage=\"scraped\"})";
      double processed = -1;
      Instant deadline = Instant.now().plusSeconds(60);
      while (processed < 5 && Instant.now().isBefore(deadline)) {
        Thread.sleep(500);
        processed = queryValue(port, query);
      }
      assertThat(processed).as("processed records seen by Prometheus; its log: %s",
          Files.readString(dir.resolve("prometheus.log"))).isEqualTo(5);
      double p99 = queryValue(port,
          "histogram_quantile(0.99, sum by (le) (sva_stage_processing_seconds_bucket{stage=\"scraped\"}))");
      assertThat(p99).as("p99 stage latency in seconds").isPositive().isLessThan(60);
      stage.dispose();
    } finally {
      if (prometheus != null) {
        prometheus.destroy();
        prometheus.waitFor();
      }
      endpoint.stop(0);
    }
  }

  /** The first sample of an instant query, or -1 while Prometheus has none (not started, not yet scraped). */
  private static double queryValue(int port, String promql) throws InterruptedException {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode result = JSON.readTree(response.body()).path("data").path("result");
      return result.isEmpty() ? -1 : Double.parseDouble(result.get(0).path("value").get(1).asText());
    } catch (IOException e) {
      return -1;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Transcript transcript(String callId) {
    return Transcript.newBuilder().setCallId(callId).setUtteranceId(callId + "-u1").setText("hello").setIsFinal(true)
        .setLanguage("en-US").setConfidence(0.9f).setStartMs(0).setEndMs(100).setEngine("test")
        .setProducedAt(Instant.now()).build();
  }
}
