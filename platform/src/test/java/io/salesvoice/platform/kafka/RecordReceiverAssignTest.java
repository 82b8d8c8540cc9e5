package io.salesvoice.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesvoice.platform.kafka.RecordReceiver.StartOffset;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.StackClients;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.management.ObjectName;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;

/** A group-less receiver of given partitions, against the real broker. */
@ExtendWith(LocalStackExtension.class)
class RecordReceiverAssignTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final KafkaStack stack;
  private StackClients clients;

  RecordReceiverAssignTest(KafkaStack stack) {
    this.stack = stack;
  }

  @BeforeEach
  void connect() {
    clients = new StackClients(stack);
  }

  @AfterEach
  void disconnect() {
    clients.close();
  }

  @Test
  void latestReadsOnlyItsPartitionAndOnlyWhatIsWrittenAfterThePositionIsKnown() throws Exception {
    String topic = clients.createTopicWithDeadLetters("assign-latest", 3);
    for (int p = 0; p < 3; p++) {
      send(topic, p, "before-" + p);
    }
    TopicPartition one = new TopicPartition(topic, 1);
    CompletableFuture<Map<TopicPartition, Long>> positioned = new CompletableFuture<>();
    List<String> received = new CopyOnWriteArrayList<>();
    Disposable running = RecordReceiver.assign(clients.settings(), List.of(one), StartOffset.LATEST,
            positioned::complete)
        .receive()
        .subscribe(r -> {
          received.add(r.record().partition() + ":" + new String(r.record().value(), StandardCharsets.UTF_8));
          r.acknowledge(); // nothing to commit without a group, and it must not fail
        });
    try {
      assertThat(positioned.get(WAIT.toSeconds(), TimeUnit.SECONDS)).containsExactly(Map.entry(one, 1L));
      for (int p = 0; p < 3; p++) {
        send(topic, p, "after-" + p);
      }
      send(topic, 1, "last");
      await(() -> received.contains("1:last"));
      assertThat(received).containsExactly("1:after-1", "1:last");
    } finally {
      running.dispose();
    }
  }

  @Test
  void earliestReadsWhatThePartitionHolds() throws Exception {
    String topic = clients.createTopicWithDeadLetters("assign-earliest", 2);
    send(topic, 0, "a");
    send(topic, 1, "other");
    send(topic, 0, "b");
    CompletableFuture<Map<TopicPartition, Long>> positioned = new CompletableFuture<>();
    List<String> received = new CopyOnWriteArrayList<>();
    Disposable running = RecordReceiver.assign(clients.settings(), List.of(new TopicPartition(topic, 0)),
            StartOffset.EARLIEST, positioned::complete)
        .receive()
        .subscribe(r -> received.add(new String(r.record().value(), StandardCharsets.UTF_8)));
    try {
      assertThat(positioned.get(WAIT.toSeconds(), TimeUnit.SECONDS)).containsValue(0L);
      await(() -> received.size() >= 2);
      assertThat(received).containsExactly("a", "b");
    } finally {
      running.dispose();
    }
  }

  @Test
  void cancellingTheSubscriptionClosesItsConsumer() throws Exception {
    String topic = clients.createTopicWithDeadLetters("assign-close", 1);
    CompletableFuture<Map<TopicPartition, Long>> positioned = new CompletableFuture<>();
    Disposable running = RecordReceiver.assign(clients.settings(), List.of(new TopicPartition(topic, 0)),
        StartOffset.LATEST, positioned::complete).receive().subscribe();
    positioned.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(assignedConsumers()).isPositive();
    running.dispose();
    await(() -> assignedConsumers() == 0);
  }

  /** Live consumers of this test's client id that were created by {@code assign} (Kafka registers one MBean each). */
  private int assignedConsumers() {
    try {
      return ManagementFactory.getPlatformMBeanServer().queryNames(
          new ObjectName("kafka.consumer:type=app-info,id=" + clients.settings().clientId() + "-assigned-*"), null)
          .size();
    } catch (javax.management.MalformedObjectNameException e) {
      throw new IllegalStateException(e);
    }
  }

  private void send(String topic, int partition, String value) {
    clients.sendRaw(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, partition, "key",
        value.getBytes(StandardCharsets.UTF_8)));
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      Thread.sleep(50);
    }
  }
}
