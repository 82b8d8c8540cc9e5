package io.salesvoice.platform.config;

import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.topics.TopicProvisioner;
import io.salesvoice.platform.topics.Topics;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** Gives every Spring Boot worker the same Kafka settings, one shared sender and the catalogue's topics. */
@AutoConfiguration
@EnableConfigurationProperties(PlatformProperties.class)
public class PlatformAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  KafkaSettings kafkaSettings(PlatformProperties p, org.springframework.core.env.Environment env) {
    String clientId = p.clientId() != null ? p.clientId() : env.getProperty("spring.application.name", "sva");
    return new KafkaSettings(p.bootstrapServers(), p.schemaRegistryUrl(), clientId, p.valueSerializer(),
        p.valueDeserializer(), p.properties() == null ? Map.of() : p.properties());
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  RecordSender recordSender(KafkaSettings settings) {
    return RecordSender.create(settings);
  }

  /** Stages export their spans through the OpenTelemetry SDK that Spring Boot configured, when there is one. */
  @Bean
  InitializingBean stageTracing(org.springframework.beans.factory.ObjectProvider<io.opentelemetry.api.OpenTelemetry> sdk) {
    return () -> sdk.ifAvailable(io.salesvoice.platform.trace.StageTracing::install);
  }

  /** Runs before any stage starts consuming, so no worker subscribes to a topic that does not exist yet. */
  @Bean
  @ConditionalOnProperty(prefix = "sva.kafka", name = "create-topics", havingValue = "true", matchIfMissing = true)
  InitializingBean topicCatalogue(KafkaSettings settings, PlatformProperties p) {
    return () -> {
      try (Admin admin = Admin.create(settings.adminConfig())) {
        new TopicProvisioner(admin, p.replicationFactor()).ensure(Topics.ALL);
      }
    };
  }
}
