package io.salesvoice.platform.kafka;

import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import reactor.core.publisher.Flux;
import reactor.kafka.receiver.KafkaReceiver;
import reactor.kafka.receiver.ReceiverOptions;
import reactor.kafka.receiver.ReceiverPartition;

/**
 * Reads records of a consumer group as raw bytes with manual acknowledgement: offsets are committed only for
 * acknowledged records. The other of the two types that use reactor-kafka.
 */
public final class RecordReceiver {

  private final ReceiverOptions<String, byte[]> options;

  private RecordReceiver(ReceiverOptions<String, byte[]> options) {
    this.options = options;
  }

  /** A record as received, and the acknowledgement that lets its offset be committed. */
  public record Received(ConsumerRecord<String, byte[]> record, Runnable acknowledgement) {
    public void acknowledge() {
      acknowledgement.run();
    }

    public TopicPartition topicPartition() {
      return new TopicPartition(record.topic(), record.partition());
    }
  }

  /**
   * @param outOfOrderAcks true when records of one partition may be acknowledged out of order (key-ordered
   *                       parallelism): then only offsets below the oldest unacknowledged record are committed
   */
  public static RecordReceiver create(KafkaSettings settings, String groupId, Collection<String> topics,
                                      boolean outOfOrderAcks, Consumer<Collection<TopicPartition>> onAssigned,
                                      Consumer<Collection<TopicPartition>> onRevoked) {
    ReceiverOptions<String, byte[]> options = ReceiverOptions.<String, byte[]>create(settings.consumerConfig(groupId))
        .subscription(List.copyOf(topics))
        .commitInterval(java.time.Duration.ofMillis(200))
        .maxDeferredCommits(outOfOrderAcks ? 10_000 : 0)
        .addAssignListener(partitions -> onAssigned.accept(topicPartitions(partitions)))
        .addRevokeListener(partitions -> onRevoked.accept(topicPartitions(partitions)));
    return new RecordReceiver(options);
  }

  /**
   * Publishes the consumer's own metrics (records-lag-max, fetch rates, commit latency) to {@code registry}, tagged by
   * client id, so dashboards see each worker's lag without a separate exporter.
   */
  public RecordReceiver withMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
    return new RecordReceiver(options.consumerListener(new reactor.kafka.receiver.MicrometerConsumerListener(registry)));
  }

  /** Receives until cancelled; a new consumer is created on each subscription. */
  public Flux<Received> receive() {
    return KafkaReceiver.create(options).receive()
        .map(r -> new Received(r, r.receiverOffset()::acknowledge));
  }

  private static List<TopicPartition> topicPartitions(Collection<ReceiverPartition> partitions) {
    return partitions.stream().map(ReceiverPartition::topicPartition).toList();
  }
}
