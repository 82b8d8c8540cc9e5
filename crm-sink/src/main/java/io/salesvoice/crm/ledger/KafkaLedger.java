package io.salesvoice.crm.ledger;

import io.salesvoice.platform.kafka.CompactedTopicReader;
import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.kafka.OutboundRecord;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.schema.crm.CrmResult;
import io.salesvoice.schema.crm.CrmStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The applied ledger kept in the compacted topic {@code sva.crm.applied} (key = idempotency key, value = CrmResult):
 * the topic is the truth, and every instance reads all of it into memory from the beginning
 * ({@link CompactedTopicReader}), so any instance that takes over a partition of commands knows what the previous owner
 * applied. Entries this instance writes are visible at once, after the broker acknowledged them; an older record read
 * later from the topic never overwrites a newer entry.
 */
public final class KafkaLedger implements Ledger, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KafkaLedger.class);
  private static final String REGISTER_CALL = "RegisterCall";

  private record Entry(CrmResult result, long offset) {
  }

  private final String topic;
  private final RecordSender sender;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Map<String, String> bitrixCallIds = new ConcurrentHashMap<>();
  private final CompactedTopicReader reader;
  private volatile Mono<Void> ready;

  public KafkaLedger(KafkaSettings settings, String topic, RecordSender sender) {
    this.topic = topic;
    this.sender = sender;
    this.reader = CompactedTopicReader.start(settings, "crm-ledger", List.of(topic), this::read);
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

  private void read(String idempotencyKey, Object value, long offset) {
    if (value == null) {
      entries.remove(idempotencyKey);
    } else if (value instanceof CrmResult result) {
      apply(result, offset);
    } else {
      log.warn("CRM ledger {}@{}: not a CrmResult, skipped", idempotencyKey, offset);
    }
  }

  private void apply(CrmResult result, long offset) {
    entries.compute(result.getIdempotencyKey(),
        (k, old) -> old == null || old.offset() <= offset ? new Entry(result, offset) : old);
    if (result.getStatus() == CrmStatus.APPLIED && REGISTER_CALL.equals(result.getCommandType())
        && result.getEntityId() != null) {
      bitrixCallIds.put(result.getCallId(), result.getEntityId());
    }
  }

  @Override
  public void close() {
    reader.close();
  }
}
