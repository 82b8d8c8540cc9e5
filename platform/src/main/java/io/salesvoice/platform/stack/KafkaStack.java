package io.salesvoice.platform.stack;

/** What a test or the local launcher needs to know of a running Kafka broker and schema registry. */
public interface KafkaStack extends AutoCloseable {

  /** The {@code bootstrap.servers} value of the broker, e.g. {@code 127.0.0.1:9092}. */
  String bootstrapServers();

  /** The base URL of the registry's Confluent-compatible REST API, the {@code schema.registry.url} value. */
  String schemaRegistryUrl();

  @Override
  void close();
}
