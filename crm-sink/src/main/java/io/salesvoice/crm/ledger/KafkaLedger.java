package io.salesvoice.crm.ledger;

import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.kafka.OutboundRecord;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.schema.crm.CrmResult;
import io.salesvoice.schema.crm.CrmStatus;
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
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The applied ledger kept in the compacted topic {@code sva.crm.applied} (key = idempotency key, value = CrmResult):
 * the topic is the truth, and every instance reads all of it into memory from the beginning on a thread of its own,
 * so any instance that takes over a partition of commands knows what the previous owner applied. Entries this
 * instance writes are visible at once, after the broker acknowledged them; an older record read later from the topic
 * never overwrites a newer entry.
 */
public final class KafkaLedger implements Ledger, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KafkaLedger.class);
  private static final String REGISTER_CALL = "RegisterCall";

  private record Entry(CrmResult result, long offset) {
  }

  private record Barrier(Sinks.Empty<Void> sink, Map<TopicPartition, Long> targets) {
  }

  private final String topic;
  private final RecordSender sender;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Deserializer<Object> deserializer;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Map<String, String> bitrixCallIds = new ConcurrentHashMap<>();
  private final Queue<Sinks.Empty<Void>> requested = new ConcurrentLinkedQueue<>();
  private final List<Barrier> waiting = new ArrayList<>();
  private final Thread reader;
  private volatile Mono<Void> ready;
  private volatile boolean running = true;

  @SuppressWarnings("unchecked")
  public KafkaLedger(KafkaSettings settings, String topic, RecordSender sender) {
    this.topic = topic;
    this.sender = sender;
    Map<String, Object> config = new HashMap<>(settings.consumerConfig("crm-ledger"));
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);   // reads every partition itself, commits nothing
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.clientId() + "-crm-ledger");
    this.consumer = new KafkaConsumer<>(config);
    try {
      this.deserializer = Utils.newInstance(settings.valueDeserializer(), Deserializer.class);
    } catch (ClassNotFoundException e) {
      throw new KafkaException("value deserializer class not found: " + settings.valueDeserializer(), e);
    }
    deserializer.configure(settings.serdeConfig(), false);
    this.ready = barrier();
    this.reader = new Thread(this::readForever, "crm-ledger-reader");
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
  public Optional<CrmResult> lookup(String idempotencyKey) {
    Entry e = entries.get(idempotencyKey);
    return e == null ? Optional.empty() : Optional.of(e.result());
  }

  @Override
  public Optional<String> bitrixCallId(String callId) {
    return Optional.ofNullable(bitrixCallIds.get(callId));
  }

  @Override
  public Mono<Void> record(CrmResult entry) {
    return sender.send(OutboundRecord.of(topic, entry.getIdempotencyKey(), entry), null)
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

  private void apply(CrmResult result, long offset) {
    entries.compute(result.getIdempotencyKey(),
        (k, old) -> old == null || old.offset() <= offset ? new Entry(result, offset) : old);
    if (result.getStatus() == CrmStatus.APPLIED && REGISTER_CALL.equals(result.getCommandType())
        && result.getEntityId() != null) {
      bitrixCallIds.put(result.getCallId(), result.getEntityId());
    }
  }

  private void readForever() {
    try {
      List<TopicPartition> partitions = awaitPartitions();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (running) {
        try {
          for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            if (!read(record)) {
              break;
            }
          }
          releaseBarriers(partitions);
        } catch (RetriableException e) {
          // the broker is away (restarting, overloaded): its end offsets come when it is back
          log.warn("CRM ledger: the broker did not answer, reading on: {}", e.toString());
          sleep(1000);
        }
      }
    } catch (WakeupException e) {
      if (running) {
        log.error("CRM ledger reader woken up unexpectedly", e);
      }
    } catch (RuntimeException e) {
      log.error("CRM ledger reader stopped: idempotency is not guaranteed until restart", e);
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
      if (value instanceof CrmResult result) {
        apply(result, record.offset());
      } else {
        log.warn("CRM ledger {}-{}@{}: not a CrmResult, skipped", record.topic(), record.partition(), record.offset());
      }
      return true;
    } catch (RuntimeException e) {
      if (isTransient(e)) {
        log.warn("CRM ledger: cannot decode {}-{}@{} now, reading it again: {}", record.topic(), record.partition(),
            record.offset(), e.toString());
        consumer.seek(new TopicPartition(record.topic(), record.partition()), record.offset());
        sleep(500);
        return false;
      }
      log.warn("CRM ledger {}-{}@{}: undecodable, skipped: {}", record.topic(), record.partition(), record.offset(),
          e.toString());
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
      List<PartitionInfo> infos;
      try {
        infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
      } catch (RetriableException e) {
        // a broker that is not reachable yet, or too busy to answer at start-up, is waited for like a missing topic
        log.warn("CRM ledger: no metadata of {} from the broker yet ({}); asking again", topic, e.toString());
        continue;
      }
      if (infos != null && !infos.isEmpty()) {
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      }
      log.warn("CRM ledger topic {} does not exist yet; waiting for it", topic);
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
