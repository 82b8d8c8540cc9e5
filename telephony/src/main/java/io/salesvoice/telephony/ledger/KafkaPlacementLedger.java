package io.salesvoice.telephony.ledger;

import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.kafka.OutboundRecord;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.schema.telephony.PlacedCall;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The placement ledger kept in the compacted topic {@code sva.telephony.placed} (key = callId, value = PlacedCall):
 * the topic is the truth. Every instance reads all of it from the beginning on a thread of its own, so an instance
 * that takes over a partition of requests knows what the previous owner placed; after an assignment nothing is
 * processed until the reader reached the topic's end. Entries this instance writes are visible as soon as the broker
 * acknowledged them, and an older record read later never overwrites a newer entry.
 */
public final class KafkaPlacementLedger implements PlacementLedger, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KafkaPlacementLedger.class);

  private record Entry(PlacedCall value, long offset) {
  }

  private record Barrier(Sinks.Empty<Void> sink, Map<TopicPartition, Long> targets) {
  }

  private final String topic;
  private final RecordSender sender;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Deserializer<Object> deserializer;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Queue<Sinks.Empty<Void>> requested = new ConcurrentLinkedQueue<>();
  private final List<Barrier> waiting = new ArrayList<>();
  private final Thread reader;
  private volatile Mono<Void> ready;
  private volatile boolean running = true;

  @SuppressWarnings("unchecked")
  public KafkaPlacementLedger(KafkaSettings settings, String topic, RecordSender sender) {
    this.topic = topic;
    this.sender = sender;
    Map<String, Object> config = new HashMap<>(settings.consumerConfig("telephony-ledger"));
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);   // reads every partition itself, commits nothing
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.clientId() + "-telephony-ledger");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumer = new KafkaConsumer<>(config);
    try {
      this.deserializer = Utils.newInstance(settings.valueDeserializer(), Deserializer.class);
    } catch (ClassNotFoundException e) {
      throw new KafkaException("value deserializer class not found: " + settings.valueDeserializer(), e);
    }
    deserializer.configure(settings.serdeConfig(), false);
    this.ready = barrier();
    this.reader = new Thread(this::readForever, "telephony-ledger-reader");
    reader.setDaemon(true);
    reader.start();
  }

  @Override
  public Mono<Void> ready() {
    return ready;
  }

  /** After a rebalance: process nothing until the ledger has read what the partitions' previous owners wrote. */
  public void catchUp() {
    this.ready = barrier();
  }

  @Override
  public Optional<PlacedCall> lookup(String callId) {
    Entry e = entries.get(callId);
    return e == null ? Optional.empty() : Optional.of(e.value());
  }

  @Override
  public Mono<Void> record(PlacedCall entry) {
    return sender.send(OutboundRecord.of(topic, entry.getCallId(), entry), null)
        .doOnNext(metadata -> apply(entry, metadata.offset()))
        .then();
  }

  public int size() {
    return entries.size();
  }

  private Mono<Void> barrier() {
    Sinks.Empty<Void> sink = Sinks.empty();
    requested.add(sink);
    return sink.asMono();
  }

  private void apply(PlacedCall value, long offset) {
    entries.compute(value.getCallId(), (k, old) -> old == null || old.offset() <= offset ? new Entry(value, offset) : old);
  }

  private void readForever() {
    try {
      List<TopicPartition> partitions = awaitPartitions();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (!read(record)) {
            break;
          }
        }
        releaseBarriers(partitions);
      }
    } catch (WakeupException e) {
      if (running) {
        log.error("Telephony ledger reader woken up unexpectedly", e);
      }
    } catch (RuntimeException e) {
      log.error("Telephony ledger reader stopped: no request is processed until restart", e);
    } finally {
      consumer.close();
    }
  }

  /** False when the record must be read again later (the registry was unreachable). */
  private boolean read(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      entries.remove(record.key());
      return true;
    }
    try {
      Object value = deserializer.deserialize(record.topic(), record.headers(), record.value());
      if (value instanceof PlacedCall placed) {
        apply(placed, record.offset());
      } else {
        log.warn("Telephony ledger {}-{}@{}: not a PlacedCall, skipped", record.topic(), record.partition(),
            record.offset());
      }
      return true;
    } catch (RuntimeException e) {
      if (isTransient(e)) {
        log.warn("Telephony ledger: cannot decode {}-{}@{} now, reading it again: {}", record.topic(),
            record.partition(), record.offset(), e.toString());
        consumer.seek(new TopicPartition(record.topic(), record.partition()), record.offset());
        sleep(500);
        return false;
      }
      log.warn("Telephony ledger {}-{}@{}: undecodable, skipped: {}", record.topic(), record.partition(),
          record.offset(), e.toString());
      return true;
    }
  }

  private void releaseBarriers(List<TopicPartition> partitions) {
    if (!requested.isEmpty()) {
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      for (Sinks.Empty<Void> s = requested.poll(); s != null; s = requested.poll()) {
        waiting.add(new Barrier(s, ends));
      }
    }
    for (Iterator<Barrier> it = waiting.iterator(); it.hasNext(); ) {
      Barrier b = it.next();
      if (b.targets().entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
        b.sink().tryEmitEmpty();
        it.remove();
      }
    }
  }

  private List<TopicPartition> awaitPartitions() {
    while (running) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
      if (infos != null && !infos.isEmpty()) {
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      }
      log.warn("Telephony ledger topic {} does not exist yet; waiting for it", topic);
      sleep(1000);
    }
    return List.of();
  }

  private static boolean isTransient(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      reader.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
