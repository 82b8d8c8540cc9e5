package io.salesvoice.platform.config;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where a worker finds Kafka and the registry ({@code sva.kafka.*}); the defaults reach the local stack that
 * {@code ./sva up} starts.
 *
 * @param createTopics create the catalogue's missing topics at start-up (off where an operator owns the topics)
 * @param replicationFactor replication of the topics this worker creates
 * @param properties extra client and serde properties, e.g. {@code security.protocol}, {@code basic.auth.user.info}
 */
@ConfigurationProperties("sva.kafka")
public record PlatformProperties(
    @DefaultValue("127.0.0.1:9092") String bootstrapServers,
    @DefaultValue("http://127.0.0.1:8081/apis/ccompat/v7") String schemaRegistryUrl,
    String clientId,
    String valueSerializer,
    String valueDeserializer,
    @DefaultValue("true") boolean createTopics,
    @DefaultValue("1") short replicationFactor,
    Map<String, String> properties) {
}
