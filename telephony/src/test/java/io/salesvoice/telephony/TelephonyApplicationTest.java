package io.salesvoice.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.call.CallEnded;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.dialer.CallRequest;
import io.salesvoice.telephony.voximplant.SimulatedVoximplantApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

/** The worker as deployed: Spring Boot, the catalogue topics, the callback endpoint, health and metrics. */
@ExtendWith(LocalStackExtension.class)
class TelephonyApplicationTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private final KafkaStack stack;

  TelephonyApplicationTest(KafkaStack stack) {
    this.stack = stack;
  }

  private ConfigurableApplicationContext run(String... more) {
    List<String> args = new java.util.ArrayList<>(List.of(
        "--server.port=0",
        "--sva.kafka.bootstrap-servers=" + stack.bootstrapServers(),
        "--sva.kafka.schema-registry-url=" + stack.schemaRegistryUrl(),
        "--sva.telephony.min-backoff=200ms",
        "--sva.telephony.max-backoff=2s"));
    args.addAll(List.of(more));
    return new SpringApplicationBuilder(TelephonyApplication.class).run(args.toArray(String[]::new));
  }

  private static String secret() {
    byte[] s = new byte[32];
    new SecureRandom().nextBytes(s);
    return HexFormat.of().formatHex(s);
  }

  @Test
  void withoutConfigurationTheWorkerStartsAndSaysCallsAreWaiting() {
    try (ConfigurableApplicationContext context = run()) {
      var health = context.getBean("telephonyHealthIndicator", HealthIndicator.class).health();
      assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
      assertThat(health.getDetails()).containsEntry("calls", "waiting");
      assertThat(String.valueOf(health.getDetails().get("missing"))).contains("SVA_TELEPHONY_VOXIMPLANT_CREDENTIALS")
          .contains("SVA_TELEPHONY_VOXIMPLANT_RULE_ID").contains("SVA_INGEST_MEDIA_URL")
          .contains("SVA_INGEST_TOKEN_SECRET").contains("SVA_TELEPHONY_CALLBACK_URL");
      assertThat(context.getBean(TelephonyConfiguration.StageRunner.class).isRunning()).isFalse();
    }
  }

  @Test
  void aRequestIsPlacedAndTheScenariosReportReachesTheDialer(@TempDir Path dir) throws Exception {
    String mediaSecret = secret();
    try (SimulatedVoximplantApi voximplant = new SimulatedVoximplantApi();
         StackClients clients = new StackClients(stack)) {
      Path credentials = dir.resolve("voximplant-credentials.json");
      Files.writeString(credentials, voximplant.credentialsJson());
      try (ConfigurableApplicationContext context = run(
          "--sva.telephony.voximplant.credentials-file=" + credentials,
          "--sva.telephony.voximplant.api-url=" + voximplant.url(),
          "--sva.telephony.voximplant.rule-id=" + voximplant.ruleId,
          "--sva.telephony.voximplant.caller-id=+74950000000",
          "--sva.telephony.media-url=wss://ingest.example.com/media/voximplant",
          "--sva.telephony.media-token-secret=" + mediaSecret,
          "--sva.telephony.callback-url=https://telephony.example.com/api/voximplant/events",
          "--sva.telephony.callback-secret=" + secret())) {
        assertThat(context.getBean("telephonyHealthIndicator", HealthIndicator.class).health().getStatus())
            .isEqualTo(Status.UP);
        String callId = "app-" + UUID.randomUUID();
        Instant now = Instant.now();
        clients.send(Topics.DIALER_REQUESTS, callId, CallRequest.newBuilder()
            .setCallId(callId).setCampaignId("spring-promo").setLeadId("lead-1").setAttempt(1)
            .setPhoneNumber("+79995550011").setLanguage("ru-RU").setParameters(Map.of())
            .setRequestedAt(now).setExpiresAt(now.plus(Duration.ofMinutes(5))).setRingTimeoutSeconds(20).build());

        await().atMost(WAIT).until(() -> voximplant.starts.stream()
            .anyMatch(s -> s.customData().path("callId").asText().equals(callId)));
        JsonNode data = voximplant.starts.stream().map(SimulatedVoximplantApi.Start::customData)
            .filter(d -> d.path("callId").asText().equals(callId)).findFirst().orElseThrow();

        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        WebClient http = WebClient.create("http://127.0.0.1:" + port);
        String answer = http.post().uri("/api/voximplant/events")
            .header("Authorization", "Bearer " + data.path("callbackToken").asText())
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"callId\":\"" + callId + "\",\"campaignId\":\"spring-promo\",\"result\":\"BUSY\",\"code\":486}")
            .retrieve().bodyToMono(String.class).block(WAIT);
        assertThat(answer).contains("BUSY");

        Optional<CallEnded> ended = Optional.empty();
        Instant deadline = Instant.now().plus(WAIT);
        while (ended.isEmpty() && Instant.now().isBefore(deadline)) {
          ended = clients.read(Topics.CALLS, Integer.MAX_VALUE, Duration.ofSeconds(3)).stream()
              .filter(r -> r.key().equals(callId)).map(r -> (CallEnded) ((CallEvent) r.value()).getEvent())
              .findFirst();
        }
        assertThat(ended).isPresent();
        assertThat(ended.get().getReason()).isEqualTo(CallEndReason.BUSY);

        String metrics = http.get().uri("/actuator/prometheus").retrieve().bodyToMono(String.class).block(WAIT);
        assertThat(metrics).contains("sva_telephony_requests_total").contains("sva_telephony_callbacks_total")
            .contains("sva_telephony_provider_requests_seconds").doesNotContain(mediaSecret);
      }
    }
  }
}
