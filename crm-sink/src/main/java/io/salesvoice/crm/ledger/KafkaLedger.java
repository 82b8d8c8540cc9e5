package io.salesvoice.crm.ledger;

import io.salesvoice.platform.kafka.CompactedTopicLedger;
import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.schema.crm.CrmResult;
import io.salesvoice.schema.crm.CrmStatus;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/**
 * The applied ledger kept in the compacted topic {@code sva.crm.applied} (key = idempotency key, value = CrmResult),
 * a {@link CompactedTopicLedger}: any instance that takes over a partition of commands knows what the previous owner
 * applied. It also indexes the Bitrix24 CALL_ID of every registered call.
 */
public final class KafkaLedger implements Ledger, AutoCloseable {

  private static final String REGISTER_CALL = "RegisterCall";

  private final Map<String, String> bitrixCallIds = new ConcurrentHashMap<>();
  private final CompactedTopicLedger<CrmResult> entries;

  public KafkaLedger(KafkaSettings settings, String topic, RecordSender sender) {
    this.entries = new CompactedTopicLedger<>(settings, "crm-ledger", topic, CrmResult.class, sender, this::index);
  }

  @Override
  public Mono<Void> ready() {
    return entries.ready();
  }

  /** After a rebalance: process nothing until the ledger has read what the partitions' previous owners wrote. */
  public void catchUp() {
    entries.catchUp();
  }

  @Override
  public Optional<CrmResult> lookup(String idempotencyKey) {
    return entries.lookup(idempotencyKey);
  }

  @Override
  public Optional<String> bitrixCallId(String callId) {
    return Optional.ofNullable(bitrixCallIds.get(callId));
  }

  @Override
  public Mono<Void> record(CrmResult entry) {
    return entries.record(entry.getIdempotencyKey(), entry);
  }

  public int size() {
    return entries.size();
  }

  private void index(CrmResult result) {
    if (result.getStatus() == CrmStatus.APPLIED && REGISTER_CALL.equals(result.getCommandType())
        && result.getEntityId() != null) {
      bitrixCallIds.put(result.getCallId(), result.getEntityId());
    }
  }

  @Override
  public void close() {
    entries.close();
  }
}
