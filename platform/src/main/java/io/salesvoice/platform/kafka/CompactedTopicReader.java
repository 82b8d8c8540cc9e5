package io.salesvoice.platform.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * State kept in Kafka is read back by one copy of this: every partition of the given topics, from the beginning, to
 * the end and then on, on a thread of its own, with barriers that say "everything written before I asked is applied".
 *
 * <p>No consumer group and no committed offsets: each instance reads all partitions itself, so whatever another
 * instance wrote is known here once {@link #caughtUp()} completes. Reads {@code read_committed}: a record of an
 * aborted or still open transaction never reaches the handler, and a barrier does not wait for an open transaction.
 * Values are decoded with the settings' value deserializer; a record that cannot be decoded for now (the registry is
 * unreachable) is read again after a pause, one that can never be decoded is skipped with a warning.
 */
public final class CompactedTopicReader implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CompactedTopicReader.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long RETRY_PAUSE_MILLIS = 500;
  private static final AtomicLong READERS = new AtomicLong();

  /** What the reader does with each record; called on the reader's thread, in offset order within a partition. */
  @FunctionalInterface
  public interface Handler {
    /** @param value the decoded value, or null for a tombstone */
    void apply(String key, Object value, long offset);
  }

  /** A caller waiting until the reader applied its partitions up to their ends as they were when it asked. */
  private record Barrier(Sinks.Empty<Void> sink, Collection<TopicPartition> partitions) {
  }

  private final String name;
  private final Collection<String> topics;
  private final Instant from;
  private final Handler handler;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Deserializer<Object> deserializer;
  private final Thread thread;
  private final Queue<Barrier> requested = new ConcurrentLinkedQueue<>();
  private volatile boolean running = true;
  private volatile List<TopicPartition> partitions = List.of();

  // Used by the reader's thread only.
  private final List<Barrier> untargeted = new ArrayList<>();
  private final Map<Barrier, Map<TopicPartition, Long>> waiting = new HashMap<>();

  private CompactedTopicReader(KafkaSettings settings, String name, Collection<String> topics, Instant from,
                               Handler handler) {
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("a reader needs at least one topic");
    }
    this.name = name;
    this.topics = List.copyOf(topics);
    this.from = from;
    this.handler = handler;
    Map<String, Object> config = new HashMap<>(settings.consumerConfig(name));
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);   // reads every partition itself, commits nothing
    config.remove(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
    // a client id per reader: several may run in one JVM, and Kafka registers one MBean per client id
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.clientId() + "-" + name + "-" + READERS.incrementAndGet());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumer = new KafkaConsumer<>(config);
    this.deserializer = Stage.newValueDeserializer(settings);
    this.thread = new Thread(this::run, name + "-reader");
    thread.setDaemon(true);
  }

  /**
   * Starts reading every partition of {@code topics} from the beginning; {@code name} names the thread and client.
   * Topics that do not exist yet are waited for.
   */
  public static CompactedTopicReader start(KafkaSettings settings, String name, Collection<String> topics,
                                           Handler handler) {
    return start(settings, name, topics, null, handler);
  }

  /**
   * Starts reading every partition of {@code topics} at its first record stamped {@code from} or later (at its end
   * where there is none): for a log that is not compacted, where only the recent past matters.
   */
  public static CompactedTopicReader start(KafkaSettings settings, String name, Collection<String> topics,
                                           Instant from, Handler handler) {
    CompactedTopicReader reader = new CompactedTopicReader(settings, name, topics, from, handler);
    reader.thread.start();
    return reader;
  }

  /** Completes once every record written to any partition before this call is applied; errors if the reader closes. */
  public Mono<Void> caughtUp() {
    return barrier(null);
  }

  /** Like {@link #caughtUp()}, for these partitions only (they must be partitions of the reader's topics). */
  public Mono<Void> caughtUp(Collection<TopicPartition> partitions) {
    return barrier(List.copyOf(partitions));
  }

  /** The partitions read: empty until the topics were found, which is done before the first barrier completes. */
  public List<TopicPartition> partitions() {
    return partitions;
  }

  private Mono<Void> barrier(Collection<TopicPartition> partitions) {
    Sinks.Empty<Void> sink = Sinks.empty();
    requested.add(new Barrier(sink, partitions));
    if (!running) {
      sink.tryEmitError(closed());
    }
    consumer.wakeup();   // a poll waiting for records returns now, so the barrier's targets are taken at once
    return sink.asMono();
  }

  private void run() {
    try {
      while (running) {
        try {
          if (partitions.isEmpty()) {
            List<TopicPartition> found = findPartitions();
            if (found.isEmpty()) {
              sleep(RETRY_PAUSE_MILLIS);
              continue;
            }
            consumer.assign(found);
            position(found);
            partitions = found;
          }
          ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
          if (!applyAll(records)) {
            sleep(RETRY_PAUSE_MILLIS);
          }
          releaseBarriers();
        } catch (WakeupException e) {
          // a barrier was asked for, or close(): the loop sees to both
        } catch (RetriableException e) {
          // the broker is not up yet, restarting or too busy to answer in time: what was asked is asked again
          log.warn("{} reader: the broker did not answer ({}); asking again", name, e.toString());
          sleep(RETRY_PAUSE_MILLIS);
        }
      }
    } catch (RuntimeException e) {
      log.error("{} reader stopped: nothing that waits for it goes on until restart", name, e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
      deserializer.close();
    }
  }

  private List<TopicPartition> findPartitions() {
    List<TopicPartition> found = new ArrayList<>();
    for (String topic : topics) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
      if (infos == null || infos.isEmpty()) {
        log.warn("{} reader: topic {} does not exist yet; waiting for it", name, topic);
        return List.of();
      }
      infos.forEach(i -> found.add(new TopicPartition(topic, i.partition())));
    }
    return List.copyOf(found);
  }

  private void position(List<TopicPartition> assigned) {
    if (from == null) {
      consumer.seekToBeginning(assigned);
      return;
    }
    Map<TopicPartition, Long> query = new HashMap<>();
    assigned.forEach(p -> query.put(p, from.toEpochMilli()));
    Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
    Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
    for (TopicPartition p : assigned) {
      OffsetAndTimestamp o = found.get(p);
      consumer.seek(p, o == null ? ends.get(p) : o.offset());
    }
  }

  /**
   * Applies the records partition by partition. False when a record could not be decoded for now: its partition is
   * sought back to it, so neither it nor the records after it are lost, and the other partitions go on.
   */
  private boolean applyAll(ConsumerRecords<String, byte[]> records) {
    boolean complete = true;
    for (TopicPartition tp : records.partitions()) {
      for (ConsumerRecord<String, byte[]> record : records.records(tp)) {
        if (!apply(record)) {
          consumer.seek(tp, record.offset());
          complete = false;
          break;
        }
      }
    }
    return complete;
  }

  /** False when the record must be read again later. */
  private boolean apply(ConsumerRecord<String, byte[]> record) {
    Object value;
    try {
      value = record.value() == null ? null
          : deserializer.deserialize(record.topic(), record.headers(), record.value());
    } catch (RuntimeException e) {
      if (Stage.isTransient(e)) {
        log.warn("{} reader: cannot decode {}-{}@{} now, reading it again: {}", name, record.topic(),
            record.partition(), record.offset(), e.toString());
        return false;
      }
      log.warn("{} reader: {}-{}@{} is undecodable, skipped: {}", name, record.topic(), record.partition(),
          record.offset(), e.toString());
      return true;
    }
    try {
      handler.apply(record.key(), value, record.offset());
    } catch (RuntimeException e) {
      log.warn("{} reader: {}-{}@{} could not be applied, skipped: {}", name, record.topic(), record.partition(),
          record.offset(), e.toString());
    }
    return true;
  }

  private void releaseBarriers() {
    for (Barrier b = requested.poll(); b != null; b = requested.poll()) {
      untargeted.add(b);
    }
    if (!untargeted.isEmpty()) {
      Set<TopicPartition> asked = new HashSet<>();
      for (Iterator<Barrier> it = untargeted.iterator(); it.hasNext(); ) {
        Barrier b = it.next();
        if (b.partitions() != null && !partitions.containsAll(b.partitions())) {
          b.sink().tryEmitError(new IllegalArgumentException(name + " reader does not read all of " + b.partitions()));
          it.remove();
        } else {
          asked.addAll(b.partitions() == null ? partitions : b.partitions());
        }
      }
      // Taken after the barriers were asked for: whatever was written before, they wait for.
      Map<TopicPartition, Long> ends = consumer.endOffsets(asked);
      for (Barrier b : untargeted) {
        Map<TopicPartition, Long> targets = new HashMap<>();
        (b.partitions() == null ? partitions : b.partitions()).forEach(p -> targets.put(p, ends.get(p)));
        waiting.put(b, targets);
      }
      untargeted.clear();
    }
    for (Iterator<Map.Entry<Barrier, Map<TopicPartition, Long>>> it = waiting.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Barrier, Map<TopicPartition, Long>> e = it.next();
      if (reached(e.getValue())) {
        e.getKey().sink().tryEmitEmpty();
        it.remove();
      }
    }
  }

  private boolean reached(Map<TopicPartition, Long> targets) {
    for (Map.Entry<TopicPartition, Long> t : targets.entrySet()) {
      if (consumer.position(t.getKey()) < t.getValue()) {
        return false;
      }
    }
    return true;
  }

  private void failBarriers() {
    for (Barrier b = requested.poll(); b != null; b = requested.poll()) {
      untargeted.add(b);
    }
    untargeted.forEach(b -> b.sink().tryEmitError(closed()));
    untargeted.clear();
    waiting.keySet().forEach(b -> b.sink().tryEmitError(closed()));
    waiting.clear();
  }

  private IllegalStateException closed() {
    return new IllegalStateException(name + " reader is closed");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops reading; barriers still waiting complete with an error. Until then a reader that died (it logged why) leaves
   * them waiting: nothing may act on a state that is not known.
   */
  @Override
  public synchronized void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!thread.isAlive()) {
      failBarriers();   // the thread has ended: its lists are this thread's now
    }
  }
}
