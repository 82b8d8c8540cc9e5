package io.salesvoice.telephony.ledger;

import io.salesvoice.platform.kafka.CompactedTopicReader;
import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.kafka.OutboundRecord;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.schema.telephony.PlacedCall;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The placement ledger kept in the compacted topic {@code sva.telephony.placed} (key = callId, value = PlacedCall):
 * the topic is the truth. Every instance reads all of it from the beginning ({@link CompactedTopicReader}), so an
 * instance that takes over a partition of requests knows what the previous owner placed; after an assignment nothing
 * is processed until the reader reached the topic's end. Entries this instance writes are visible as soon as the
 * broker acknowledged them, and an older record read later never overwrites a newer entry.
 */
public final class KafkaPlacementLedger implements PlacementLedger, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KafkaPlacementLedger.class);

  private record Entry(PlacedCall value, long offset) {
  }

  private final String topic;
  private final RecordSender sender;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final CompactedTopicReader reader;
  private volatile Mono<Void> ready;

  public KafkaPlacementLedger(KafkaSettings settings, String topic, RecordSender sender) {
    this.topic = topic;
    this.sender = sender;
    this.reader = CompactedTopicReader.start(settings, "telephony-ledger", List.of(topic), this::read);
    this.ready = reader.caughtUp();
  }

  @Override
  public Mono<Void> ready() {
    return ready;
  }

  /** After a rebalance: process nothing until the ledger has read what the partitions' previous owners wrote. */
  public void catchUp() {
    this.ready = reader.caughtUp();
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

  private void read(String callId, Object value, long offset) {
    if (value == null) {
      entries.remove(callId);
    } else if (value instanceof PlacedCall placed) {
      apply(placed, offset);
    } else {
      log.warn("Telephony ledger {}@{}: not a PlacedCall, skipped", callId, offset);
    }
  }

  private void apply(PlacedCall value, long offset) {
    entries.compute(value.getCallId(), (k, old) -> old == null || old.offset() <= offset ? new Entry(value, offset) : old);
  }

  @Override
  public void close() {
    reader.close();
  }
}
