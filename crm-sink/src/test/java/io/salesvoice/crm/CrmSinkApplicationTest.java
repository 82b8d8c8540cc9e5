package io.salesvoice.crm;

import io.salesvoice.simulators.bitrix.SimulatedBitrix24;
import static org.assertj.core.api.Assertions.assertThat;

import io.salesvoice.crm.domain.Commands;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.schema.crm.CrmCommand;
import io.salesvoice.schema.crm.CrmResult;
import io.salesvoice.schema.crm.CrmStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;

/** The worker as deployed: Spring Boot, the catalogue topics, health and metrics endpoints. */
@ExtendWith(LocalStackExtension.class)
class CrmSinkApplicationTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private final KafkaStack stack;

  CrmSinkApplicationTest(KafkaStack stack) {
    this.stack = stack;
  }

  private ConfigurableApplicationContext run(String webhookUrl) {
    return new SpringApplicationBuilder(CrmSinkApplication.class).run(
        "--server.port=0",
        "--sva.kafka.bootstrap-servers=" + stack.bootstrapServers(),
        "--sva.kafka.schema-registry-url=" + stack.schemaRegistryUrl(),
        "--sva.crm.bitrix24.webhook-url=" + webhookUrl,
        "--sva.crm.min-backoff=200ms",
        "--sva.crm.max-backoff=2s");
  }

  @Test
  void withoutAWebhookTheWorkerStartsAndSaysCrmWritesAreWaiting() {
    try (ConfigurableApplicationContext context = run("")) {
      var health = context.getBean("crmHealthIndicator", HealthIndicator.class).health();
      assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
      assertThat(health.getDetails()).containsEntry("writes", "waiting");
      assertThat(String.valueOf(health.getDetails().get("reason"))).contains("SVA_CRM_BITRIX24_WEBHOOK_URL")
          .contains("nothing is dropped");
      assertThat(context.getBean(CrmSinkConfiguration.StageRunner.class).isRunning()).isFalse();
    }
  }

  @Test
  void withAWebhookCommandsAreWrittenAndTheMetersAndHealthShowIt() {
    try (SimulatedBitrix24 fake = new SimulatedBitrix24();
         StackClients clients = new StackClients(stack);
         ConfigurableApplicationContext context = run(fake.webhookUrl())) {
      String callId = "app-" + UUID.randomUUID();
      CrmCommand lead = Commands.command(callId, callId + ":lead", Commands.lead("+79995550011", "Anna"));
      clients.send(Topics.CRM_COMMANDS, callId, lead);

      Optional<CrmResult> result = Optional.empty();
      Instant deadline = Instant.now().plus(WAIT);
      while (result.isEmpty() && Instant.now().isBefore(deadline)) {
        result = clients.read(Topics.CRM_RESULTS, Integer.MAX_VALUE, Duration.ofSeconds(3)).stream()
            .map(r -> (CrmResult) r.value())
            .filter(r -> r.getCommandId().equals(lead.getCommandId()))
            .findFirst();
      }
      assertThat(result).isPresent();
      assertThat(result.get().getStatus()).isEqualTo(CrmStatus.APPLIED);
      assertThat(fake.leadsWithPhone("+79995550011")).hasSize(1);

      var health = context.getBean("crmHealthIndicator", HealthIndicator.class).health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
      String prometheus = WebClient.create("http://127.0.0.1:" + port).get().uri("/actuator/prometheus")
          .retrieve().bodyToMono(String.class).block(WAIT);
      assertThat(prometheus)
          .contains("sva_crm_requests_seconds_count{")
          .contains("method=\"crm.lead.add\"")
          .contains("outcome=\"ok\"")
          .contains("sva_crm_circuit_state{")
          .contains("sva_crm_rate_limited_total{")
          .contains("sva_crm_commands_total{");
      assertThat(prometheus).doesNotContain(SimulatedBitrix24.TOKEN);
    }
  }
}
