package io.salesvoice.platform.stack;

import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/** The same stack as {@link EmbeddedStack} in Docker containers, for machines that have a Docker engine. */
public final class TestcontainersStack implements KafkaStack {

  static final String KAFKA_IMAGE = "apache/kafka:3.9.1";
  static final String REGISTRY_IMAGE = "apicurio/apicurio-registry-mem:2.6.13.Final";

  private final Network network;
  private final KafkaContainer kafka;
  private final GenericContainer<?> registry;

  private TestcontainersStack(Network network, KafkaContainer kafka, GenericContainer<?> registry) {
    this.network = network;
    this.kafka = kafka;
    this.registry = registry;
  }

  public static TestcontainersStack start() {
    Network network = Network.newNetwork();
    KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE))
        .withNetwork(network)
        .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
    GenericContainer<?> registry = new GenericContainer<>(DockerImageName.parse(REGISTRY_IMAGE))
        .withNetwork(network)
        .withExposedPorts(8080)
        .withEnv("ENABLE_CCOMPAT_CANONICAL_HASH_MODE", "true")
        .waitingFor(Wait.forHttp(ApicurioRegistryProcess.CCOMPAT_PATH + "/subjects").forStatusCode(200)
            .withStartupTimeout(Duration.ofMinutes(2)));
    kafka.start();
    registry.start();
    return new TestcontainersStack(network, kafka, registry);
  }

  @Override
  public String bootstrapServers() {
    return kafka.getBootstrapServers();
  }

  @Override
  public String schemaRegistryUrl() {
    return "http://" + registry.getHost() + ":" + registry.getMappedPort(8080) + ApicurioRegistryProcess.CCOMPAT_PATH;
  }

  @Override
  public void close() {
    registry.stop();
    kafka.stop();
    network.close();
  }
}
