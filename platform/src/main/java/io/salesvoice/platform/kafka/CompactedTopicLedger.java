package io.salesvoice.platform.kafka;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * What a worker must remember per key across crashes and rebalances (a call placed, a CRM write applied), kept in a
 * compacted topic: the topic is the truth, and every instance holds all of it in memory, read by a
 * {@link CompactedTopicReader}, so an instance that takes over a partition of work knows what the previous owner did.
 * An entry this instance writes is visible once the broker acknowledged it; an older record read later never
 * overwrites a newer entry; a tombstone removes its key.
 *
 * @param <V> the value type (an Avro record); records of another type in the topic are skipped with a warning
 */
public final class CompactedTopicLedger<V> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CompactedTopicLedger.class);

  private record Entry<V>(V value, long offset) {
  }

  private final String name;
  private final String topic;
  private final Class<V> type;
  private final RecordSender sender;
  private final Consumer<V> onApplied;
  private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();
  private final CompactedTopicReader reader;
  private volatile Mono<Void> ready;

  /**
   * Starts reading {@code topic} from the beginning.
   *
   * @param onApplied told of every value applied, read or written here, e.g. to keep an index of its own
   */
  public CompactedTopicLedger(KafkaSettings settings, String name, String topic, Class<V> type, RecordSender sender,
                              Consumer<V> onApplied) {
    this.name = name;
    this.topic = topic;
    this.type = type;
    this.sender = sender;
    this.onApplied = onApplied;
    this.reader = CompactedTopicReader.start(settings, name, List.of(topic), this::read);
    this.ready = reader.caughtUp();
  }

  /** Completes once every entry written before the last {@link #catchUp()} (or the start), by any instance, is here. */
  public Mono<Void> ready() {
    return ready;
  }

  /** After a rebalance: {@link #ready()} waits again until what the partitions' previous owners wrote is read. */
  public void catchUp() {
    this.ready = reader.caughtUp();
  }

  public Optional<V> lookup(String key) {
    Entry<V> e = entries.get(key);
    return e == null ? Optional.empty() : Optional.of(e.value());
  }

  /** Stores an entry durably; completes when the broker acknowledged it, and from then on {@link #lookup} sees it. */
  public Mono<Void> record(String key, V value) {
    return sender.send(OutboundRecord.of(topic, key, value), null)
        .doOnNext(metadata -> apply(key, value, metadata.offset()))
        .then();
  }

  public int size() {
    return entries.size();
  }

  private void read(String key, Object value, long offset) {
    if (value == null) {
      entries.remove(key);
    } else if (type.isInstance(value)) {
      apply(key, type.cast(value), offset);
    } else {
      log.warn("{} {}@{}: not a {}, skipped", name, key, offset, type.getSimpleName());
    }
  }

  private void apply(String key, V value, long offset) {
    entries.compute(key, (k, old) -> old == null || old.offset() <= offset ? new Entry<>(value, offset) : old);
    onApplied.accept(value);
  }

  @Override
  public void close() {
    reader.close();
  }
}
