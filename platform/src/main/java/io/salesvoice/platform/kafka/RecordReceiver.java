package io.salesvoice.platform.kafka;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import reactor.core.publisher.Flux;
import reactor.kafka.receiver.KafkaReceiver;
import reactor.kafka.receiver.ReceiverOptions;
import reactor.kafka.receiver.ReceiverPartition;

/**
 * Reads records of a consumer group as raw bytes with manual acknowledgement: offsets are committed only for
 * acknowledged records. The other of the two types that use reactor-kafka. {@link #assign} reads given partitions
 * without a group instead, for readers that follow one key and keep no offsets.
 */
public final class RecordReceiver {

  private static final AtomicLong ASSIGNED_CONSUMERS = new AtomicLong();

  private final ReceiverOptions<String, byte[]> options;
  private final boolean commits;

  private RecordReceiver(ReceiverOptions<String, byte[]> options, boolean commits) {
    this.options = options;
    this.commits = commits;
  }

  /** Where a receiver without a group starts reading each of its partitions. */
  public enum StartOffset {
    /** the oldest record the partition still holds */
    EARLIEST,
    /** the partition's end: only records written from now on */
    LATEST
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
    return new RecordReceiver(options, true);
  }

  /**
   * Reads exactly {@code partitions}, without a consumer group: no membership, so no rebalance ever moves them, and
   * no committed offsets, so {@link Received#acknowledge()} does nothing. Each subscription to {@link #receive()}
   * creates its own consumer, which starts at {@code start} and is closed when the subscription is cancelled.
   *
   * @param onPositioned called on the consumer's thread, once per subscription, with the offset each partition starts
   *                     at: every record written after this call is received (e.g. to tell a viewer "live from here")
   */
  public static RecordReceiver assign(KafkaSettings settings, Collection<TopicPartition> partitions, StartOffset start,
                                      Consumer<Map<TopicPartition, Long>> onPositioned) {
    if (partitions.isEmpty()) {
      throw new IllegalArgumentException("assign needs at least one partition");
    }
    Map<String, Object> config = settings.consumerConfig("unused");
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.remove(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
    // a client id per consumer: many followers may run in one JVM, and Kafka registers one MBean per client id
    config.put(ConsumerConfig.CLIENT_ID_CONFIG,
        settings.clientId() + "-assigned-" + ASSIGNED_CONSUMERS.incrementAndGet());
    ReceiverOptions<String, byte[]> options = ReceiverOptions.<String, byte[]>create(config)
        .assignment(List.copyOf(partitions))
        .addAssignListener(assigned -> {
          Map<TopicPartition, Long> positions = new LinkedHashMap<>();
          for (ReceiverPartition p : assigned) {
            if (start == StartOffset.LATEST) {
              p.seekToEnd();
            } else {
              p.seekToBeginning();
            }
            positions.put(p.topicPartition(), p.position()); // resolves the lazy seek now, before any record is read
          }
          onPositioned.accept(positions);
        });
    return new RecordReceiver(options, false);
  }

  /**
   * Publishes the consumer's own metrics (records-lag-max, fetch rates, commit latency) to {@code registry}, tagged by
   * client id, so dashboards see each worker's lag without a separate exporter.
   */
  public RecordReceiver withMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
    return new RecordReceiver(options.consumerListener(new reactor.kafka.receiver.MicrometerConsumerListener(registry)),
        commits);
  }

  /** Receives until cancelled; a new consumer is created on each subscription. */
  public Flux<Received> receive() {
    return KafkaReceiver.create(options).receive()
        .map(r -> new Received(r, commits ? r.receiverOffset()::acknowledge : () -> { }));
  }

  private static List<TopicPartition> topicPartitions(Collection<ReceiverPartition> partitions) {
    return partitions.stream().map(ReceiverPartition::topicPartition).toList();
  }
}
