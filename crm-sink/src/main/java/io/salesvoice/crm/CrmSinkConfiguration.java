package io.salesvoice.crm;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.salesvoice.crm.domain.CommandHandler;
import io.salesvoice.crm.domain.CrmWriter;
import io.salesvoice.crm.ledger.KafkaLedger;
import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.topics.Topics;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;

/** Wires the sink: portals, the Kafka ledger, the command handler and the stage, started once Spring is up. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CrmProperties.class)
public class CrmSinkConfiguration {

  private static final Logger log = LoggerFactory.getLogger(CrmSinkConfiguration.class);

  /**
   * A WebClient of its own, not Spring's instrumented builder: that one tags {@code http.client.requests} with the
   * request path, and a webhook's path is its secret token. {@code sva.crm.requests} measures the calls instead.
   */
  @Bean
  Portals portals(CrmProperties properties, MeterRegistry meters) {
    return new Portals(properties, WebClient.builder(), meters);
  }

  @Bean
  CrmSinkStage.CrmTopics crmTopics() {
    return CrmSinkStage.CrmTopics.catalogue();
  }

  @Bean(destroyMethod = "close")
  KafkaLedger crmLedger(KafkaSettings settings, CrmSinkStage.CrmTopics topics, RecordSender sender) {
    return new KafkaLedger(settings, topics.applied(), sender);
  }

  @Bean
  DeadLetterRedrive deadLetterRedrive(KafkaSettings settings, RecordSender sender, CrmSinkStage.CrmTopics topics) {
    return new DeadLetterRedrive(settings, sender, Topics.deadLetterOf(topics.commands()));
  }

  @Bean
  CommandHandler commandHandler(KafkaLedger ledger, Portals portals, CrmProperties properties) {
    CrmWriter writer = new CrmWriter(new CrmWriter.Settings(properties.bitrix24().userId(),
        properties.doNotCallField()), ledger);
    return new CommandHandler(ledger, writer, portals, Clock.systemUTC());
  }

  @Bean
  StageRunner crmSinkStageRunner(CrmSinkStage.CrmTopics topics, CommandHandler handler, KafkaLedger ledger,
                                 Portals portals, CrmProperties properties, KafkaSettings settings,
                                 RecordSender sender, MeterRegistry meters) {
    return new StageRunner(() -> new CrmSinkStage(topics, handler, sender, meters)
        .build(settings, CrmSinkStage.NAME, properties.concurrencyPerPartition(), properties.minBackoff(),
            properties.maxBackoff(), ledger::catchUp)
        .start(), portals.defaultConfigured());
  }

  /** crm's health: whether CRM writes can happen now, or wait (no webhook, portal down) with commands kept in Kafka. */
  @Bean
  HealthIndicator crmHealthIndicator(Portals portals, StageRunner runner) {
    return () -> {
      if (!portals.defaultConfigured()) {
        return Health.outOfService()
            .withDetail("writes", "waiting")
            .withDetail("reason", "no Bitrix24 webhook configured (set SVA_CRM_BITRIX24_WEBHOOK_URL); "
                + "commands stay in sva.crm.commands and nothing is dropped")
            .build();
      }
      Map<String, String> circuits = new LinkedHashMap<>();
      portals.circuits().forEach((name, state) -> circuits.put(name, state.name()));
      boolean open = portals.circuits().values().stream().anyMatch(s -> s == CircuitBreaker.State.OPEN);
      Health.Builder health = open ? Health.outOfService().withDetail("writes", "waiting: a portal is unreachable")
          : Health.up().withDetail("writes", runner.isRunning() ? "running" : "stopped");
      return health.withDetail("circuits", circuits).build();
    };
  }

  /** Starts the stage after the context is ready, or says loudly why it does not. */
  static final class StageRunner implements SmartLifecycle {
    private final java.util.function.Supplier<Disposable> start;
    private final boolean configured;
    private volatile Disposable running;

    StageRunner(java.util.function.Supplier<Disposable> start, boolean configured) {
      this.start = start;
      this.configured = configured;
    }

    @Override
    public void start() {
      if (!configured) {
        log.warn("CRM writes are WAITING: no Bitrix24 webhook is configured (set SVA_CRM_BITRIX24_WEBHOOK_URL). "
            + "sva.crm.commands is not consumed, so every command stays in Kafka until a webhook is set.");
        return;
      }
      running = start.get();
      log.info("crm-sink consuming sva.crm.commands");
    }

    @Override
    public void stop() {
      Disposable d = running;
      if (d != null) {
        d.dispose();
      }
      running = null;
    }

    @Override
    public boolean isRunning() {
      return running != null;
    }
  }
}
