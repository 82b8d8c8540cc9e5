package io.salesvoice.simulators.carrier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.call.CallEnded;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.dialer.CallRequest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;

/** The SIMULATED carrier as run by {@code java -jar}: configuration, the stage, /simulator/calls and the metrics. */
@ExtendWith(LocalStackExtension.class)
class SimulatedCarrierApplicationTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private final KafkaStack stack;

  SimulatedCarrierApplicationTest(KafkaStack stack) {
    this.stack = stack;
  }

  private ConfigurableApplicationContext run(String secret, String... more) {
    String[] args = {
        "--server.port=0",
        "--sva.kafka.bootstrap-servers=" + stack.bootstrapServers(),
        "--sva.kafka.schema-registry-url=" + stack.schemaRegistryUrl(),
        "--sva.carrier.token-secret=" + secret,
        "--sva.carrier.persona-mix=no-answer=1",
        "--sva.carrier.ring-time=100ms"};
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return SimulatedCarrierApplication.builder().run(all);
  }

  @Test
  void callsAreListedAndMeasured() throws Exception {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    try (StackClients clients = new StackClients(stack);
         ConfigurableApplicationContext context = run(HexFormat.of().formatHex(secret))) {
      String port = context.getEnvironment().getProperty("local.server.port");
      WebClient http = WebClient.create("http://127.0.0.1:" + port);
      String callId = "app-" + UUID.randomUUID();
      clients.send(Topics.DIALER_REQUESTS, callId, CallRequest.newBuilder().setCallId(callId)
          .setCampaignId("camp-app").setLeadId("lead-app").setAttempt(1).setPhoneNumber("+15550001111")
          .setLanguage("en-US").setParameters(Map.of()).setRequestedAt(Instant.now())
          .setExpiresAt(Instant.now().plusSeconds(600)).build());

      JsonNode call = null;
      Instant deadline = Instant.now().plus(WAIT);
      while (Instant.now().isBefore(deadline)) {
        JsonNode calls = new ObjectMapper().readTree(http.get().uri("/simulator/calls").retrieve()
            .bodyToMono(String.class).block(Duration.ofSeconds(10)));
        for (JsonNode c : calls) {
          if (c.path("callId").asText().equals(callId) && !c.path("outcome").isNull()) {
            call = c;
          }
        }
        if (call != null) {
          break;
        }
        Thread.sleep(100);
      }
      assertThat(call).as("the call is listed with its outcome").isNotNull();
      assertThat(call.path("persona").asText()).isEqualTo("no-answer");
      assertThat(call.path("personaChoice").asText()).isEqualTo("mix");
      assertThat(call.path("state").asText()).isEqualTo("ENDED");
      assertThat(call.path("outcome").asText()).isEqualTo("no-answer");
      assertThat(call.path("carrier").asText()).isEqualTo("simulated");
      assertThat(call.path("turns").isArray()).isTrue();

      CallEnded ended = clients.read(Topics.CALLS, Integer.MAX_VALUE, Duration.ofSeconds(5)).stream()
          .filter(r -> callId.equals(r.key())).map(r -> (CallEvent) r.value())
          .map(e -> (CallEnded) e.getEvent()).findFirst().orElseThrow();
      assertThat(ended.getReason()).isEqualTo(CallEndReason.NO_ANSWER);

      String prometheus = http.get().uri("/actuator/prometheus").retrieve().bodyToMono(String.class)
          .block(Duration.ofSeconds(10));
      assertThat(prometheus).contains("sva_carrier_calls_total{").contains("carrier=\"simulated\"")
          .contains("outcome=\"no-answer\"").contains("sva_carrier_live_calls{");
      assertThat(http.get().uri("/simulator/calls/nope").exchangeToMono(r -> reactor.core.publisher.Mono.just(
          r.statusCode().value())).block(Duration.ofSeconds(10))).isEqualTo(404);
    }
  }

  @Test
  void withoutTheTokenSecretItRefusesToStartAndSaysWhy() {
    assertThatThrownBy(() -> run("", "--sva.kafka.create-topics=false").close())
        .hasStackTraceContaining("SVA_INGEST_TOKEN_SECRET");
  }
}
