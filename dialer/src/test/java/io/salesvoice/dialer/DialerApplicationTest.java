package io.salesvoice.dialer;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.schema.dialer.CallRequest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The worker as deployed: the admin API behind its key, on the catalogue topics, with health and metrics. */
@ExtendWith(LocalStackExtension.class)
class DialerApplicationTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final KafkaStack stack;

  DialerApplicationTest(KafkaStack stack) {
    this.stack = stack;
  }

  private ConfigurableApplicationContext run(String apiKey) {
    return new SpringApplicationBuilder(DialerApplication.class).run(
        "--server.port=0",
        "--sva.kafka.bootstrap-servers=" + stack.bootstrapServers(),
        "--sva.kafka.schema-registry-url=" + stack.schemaRegistryUrl(),
        "--sva.dialer.api-key=" + apiKey,
        "--sva.dialer.group-id=dialer-app-" + UUID.randomUUID(),
        "--sva.dialer.max-upload-size=2KB");
  }

  private static WebTestClient client(ConfigurableApplicationContext context) {
    int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(WAIT).build();
  }

  /** The API answers 503 until the dialer has read its state from Kafka. */
  private static void awaitRestored(ConfigurableApplicationContext context) {
    DialerConfiguration.EngineRunner runner = context.getBean(DialerConfiguration.EngineRunner.class);
    Instant deadline = Instant.now().plus(WAIT);
    while (!runner.ready() && Instant.now().isBefore(deadline)) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    assertThat(runner.ready()).as("dialer state restored").isTrue();
  }

  private static String secret() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  @Test
  void withoutAConfiguredKeyEveryApiRequestIsRefusedAndSaysWhy() {
    try (ConfigurableApplicationContext context = run("")) {
      client(context).get().uri("/api/campaigns").header("X-Api-Key", "anything").exchange()
          .expectStatus().isUnauthorized()
          .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).contains("SVA_DIALER_API_KEY"));
      awaitRestored(context);   // health is OUT_OF_SERVICE (503) until the state is read from Kafka, key or no key
      client(context).get().uri("/actuator/health").exchange().expectStatus().is2xxSuccessful();
    }
  }

  @Test
  void theApiRunsACampaignFromUploadToCallRequests() {
    String key = secret();
    String id = "app-" + UUID.randomUUID().toString().substring(0, 8);
    try (ConfigurableApplicationContext context = run(key); StackClients clients = new StackClients(stack)) {
      WebTestClient web = client(context);
      awaitRestored(context);
      web.get().uri("/api/campaigns").exchange().expectStatus().isUnauthorized()
          .expectBody().jsonPath("$.message").isEqualTo("missing or wrong X-Api-Key header");
      web.get().uri("/api/campaigns").header("X-Api-Key", key + "x").exchange().expectStatus().isUnauthorized();

      Map<String, Object> campaign = Map.of("id", id, "name", "App test", "scriptId", "solar-en", "language", "en-US",
          "callingHours", Map.of("start", "00:00", "end", "23:59"), "maxConcurrentCalls", 2, "callsPerSecond", 5,
          "ringTimeoutSeconds", 30,
          "retry", Map.of("noAnswer", Map.of("maxAttempts", 3, "delaySeconds", 1800)));
      web.post().uri("/api/campaigns").header("X-Api-Key", key).contentType(MediaType.APPLICATION_JSON)
          .bodyValue(campaign).exchange()
          .expectStatus().isCreated()
          .expectBody().jsonPath("$.status").isEqualTo("DRAFT").jsonPath("$.retry.noAnswer.maxAttempts").isEqualTo(3);
      web.post().uri("/api/campaigns").header("X-Api-Key", key).contentType(MediaType.APPLICATION_JSON)
          .bodyValue(campaign).exchange().expectStatus().isEqualTo(409);
      web.post().uri("/api/campaigns").header("X-Api-Key", key).contentType(MediaType.APPLICATION_JSON)
          .bodyValue(Map.of("id", "bad|id", "name", "", "language", "en-US", "maxConcurrentCalls", 0)).exchange()
          .expectStatus().isBadRequest()
          .expectBody().jsonPath("$.errors.length()").value(n -> assertThat((Integer) n).isGreaterThanOrEqualTo(4));
      web.post().uri("/api/campaigns").header("X-Api-Key", key).contentType(MediaType.APPLICATION_JSON)
          .bodyValue("{not json").exchange().expectStatus().isBadRequest();

      String csv = """
          name,phone,timezone,language,product
          Anna,+14155550101,America/Los_Angeles,,solar
          Bob,415-555-0102,America/Los_Angeles,,solar
          Carl,+14155550103,Nowhere/Town,,solar
          Anna again,+1 415 555 0101,America/Los_Angeles,,solar
          """;
      web.post().uri("/api/campaigns/{id}/leads", id).header("X-Api-Key", key)
          .contentType(MediaType.parseMediaType("text/csv")).bodyValue(csv).exchange()
          .expectStatus().isOk()
          .expectBody()
          .jsonPath("$.imported").isEqualTo(1)
          .jsonPath("$.rejected[0].row").isEqualTo(3)
          .jsonPath("$.rejected[1].row").isEqualTo(4)
          .jsonPath("$.rejected[1].reason").value(r -> assertThat((String) r).contains("Nowhere/Town"))
          .jsonPath("$.duplicateRows[0]").isEqualTo(5);
      web.post().uri("/api/campaigns/{id}/leads", id).header("X-Api-Key", key)
          .contentType(MediaType.parseMediaType("text/csv")).bodyValue("name,phone,timezone,language\nX,1,UTC,en\n")
          .exchange().expectStatus().isEqualTo(422);
      web.post().uri("/api/campaigns/{id}/leads", id).header("X-Api-Key", key)
          .contentType(MediaType.parseMediaType("text/csv")).bodyValue("name,phone\n").exchange()
          .expectStatus().isBadRequest()
          .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).contains("timezone"));
      web.post().uri("/api/campaigns/{id}/leads", id).header("X-Api-Key", key)
          .contentType(MediaType.parseMediaType("text/csv")).bodyValue("x".repeat(3000)).exchange()
          .expectStatus().isEqualTo(413);
      web.post().uri("/api/campaigns/{id}/leads", "nope").header("X-Api-Key", key)
          .contentType(MediaType.parseMediaType("text/csv")).bodyValue(csv).exchange()
          .expectStatus().isNotFound();

      web.post().uri("/api/do-not-call").header("X-Api-Key", key).contentType(MediaType.APPLICATION_JSON)
          .bodyValue(Map.of("phoneNumbers", List.of("+14155550199"))).exchange()
          .expectStatus().isOk().expectBody().jsonPath("$.listed").isEqualTo(1);
      web.post().uri("/api/do-not-call").header("X-Api-Key", key).contentType(MediaType.APPLICATION_JSON)
          .bodyValue(Map.of("phoneNumbers", List.of("12345"))).exchange().expectStatus().isBadRequest();
      web.get().uri("/api/do-not-call/{n}", "+14155550199").header("X-Api-Key", key).exchange()
          .expectStatus().isOk().expectBody().jsonPath("$.listed").isEqualTo(true);

      web.post().uri("/api/campaigns/{id}/start", id).header("X-Api-Key", key).exchange()
          .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("RUNNING");
      web.post().uri("/api/campaigns/{id}/resume", id).header("X-Api-Key", key).exchange()
          .expectStatus().isEqualTo(409);

      CallRequest request = null;
      Instant deadline = Instant.now().plus(WAIT);
      while (request == null && Instant.now().isBefore(deadline)) {
        request = clients.read(Topics.DIALER_REQUESTS, Integer.MAX_VALUE, Duration.ofSeconds(2)).stream()
            .map(r -> (CallRequest) r.value()).filter(r -> r.getCampaignId().equals(id)).findFirst().orElse(null);
      }
      assertThat(request).as("a CallRequest on sva.dialer.requests").isNotNull();
      assertThat(request.getPhoneNumber()).isEqualTo("+14155550101");
      assertThat(request.getLanguage()).isEqualTo("en-US");
      assertThat(request.getParameters()).containsEntry("name", "Anna").containsEntry("product", "solar");

      web.get().uri("/api/campaigns/{id}/status", id).header("X-Api-Key", key).exchange()
          .expectStatus().isOk().expectBody()
          .jsonPath("$.leads").isEqualTo(1)
          .jsonPath("$.leadsByState.DIALING").isEqualTo(1)
          .jsonPath("$.callsInProgress").isEqualTo(1)
          .jsonPath("$.attempts").isEqualTo(1);
      web.post().uri("/api/campaigns/{id}/stop", id).header("X-Api-Key", key).exchange()
          .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("STOPPED");

      String prometheus = web.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
          .expectBody(String.class).returnResult().getResponseBody();
      assertThat(prometheus)
          .contains("sva_dialer_calls_requested_total{")
          .contains("sva_dialer_calls_in_progress{")
          .contains("sva_dialer_leads_rejected_total{")
          .doesNotContain("4155550101")
          .doesNotContain(key);
      web.get().uri("/actuator/health").exchange().expectStatus().isOk()
          .expectBody().jsonPath("$.components.dialer.status").isEqualTo("UP");
    }
  }
}
