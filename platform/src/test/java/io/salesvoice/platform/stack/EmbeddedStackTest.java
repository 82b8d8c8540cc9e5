package io.salesvoice.platform.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.salesvoice.schema.transcript.Transcript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local stack's own promises: a reusable data directory, and nothing left running after it stops. */
class EmbeddedStackTest {

  @Test
  void aRestartedStackOnTheSameDataDirectoryStillHasItsTopicsRecordsAndSchemas(@TempDir Path data) {
    EmbeddedStack.Settings settings = new EmbeddedStack.Settings(StackDirectory.locate(), data, 0, 0, 0, false);
    Transcript sent = Transcript.newBuilder()
        .setCallId("call-restart").setUtteranceId("u1").setText("still here").setIsFinal(true)
        .setLanguage("en-US").setConfidence(1f).setStartMs(0).setEndMs(10).setEngine("test")
        .setProducedAt(Instant.ofEpochMilli(1_700_000_000_000L)).build();

    List<ProcessHandle> registry;
    try (EmbeddedStack stack = EmbeddedStack.start(settings); StackClients clients = new StackClients(stack)) {
      registry = stack.registryProcesses();
      assertThat(registry).hasSizeGreaterThanOrEqualTo(1);
      clients.createTopics(1, "restart-topic");
      clients.send("restart-topic", "call-restart", sent);
    }
    assertThat(registry).noneMatch(ProcessHandle::isAlive);

    try (EmbeddedStack stack = EmbeddedStack.start(settings); StackClients clients = new StackClients(stack)) {
      registry = stack.registryProcesses();
      List<ConsumerRecord<String, Object>> records = clients.read("restart-topic", 1, Duration.ofSeconds(30));
      assertThat(records).extracting(ConsumerRecord::value).containsExactly(sent);
    }
    assertThat(registry).noneMatch(ProcessHandle::isAlive);
    assertThat(Files.exists(data.resolve("kafka/meta.properties"))).isTrue();
  }

  @Test
  void aMissingRegistryDistributionIsAClearError(@TempDir Path empty) {
    assertThatThrownBy(() -> ApicurioRegistryProcess.locateRunnerJar(empty))
        .isInstanceOf(LocalStackException.class)
        .hasMessageContaining("./mvnw -q -pl platform -am package");
  }
}
