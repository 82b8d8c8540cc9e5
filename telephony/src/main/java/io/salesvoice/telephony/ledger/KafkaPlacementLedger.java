package io.salesvoice.telephony.ledger;

import io.salesvoice.platform.kafka.CompactedTopicLedger;
import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.schema.telephony.PlacedCall;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * The placement ledger kept in the compacted topic {@code sva.telephony.placed} (key = callId, value = PlacedCall),
 * a {@link CompactedTopicLedger}: an instance that takes over a partition of requests knows what the previous owner
 * placed, and after an assignment nothing is processed until the topic is read to its end.
 */
public final class KafkaPlacementLedger implements PlacementLedger, AutoCloseable {

  private final CompactedTopicLedger<PlacedCall> entries;

  public KafkaPlacementLedger(KafkaSettings settings, String topic, RecordSender sender) {
    this.entries = new CompactedTopicLedger<>(settings, "telephony-ledger", topic, PlacedCall.class, sender,
        placed -> { });
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
  public Optional<PlacedCall> lookup(String callId) {
    return entries.lookup(callId);
  }

  @Override
  public Mono<Void> record(PlacedCall entry) {
    return entries.record(entry.getCallId(), entry);
  }

  public int size() {
    return entries.size();
  }

  @Override
  public void close() {
    entries.close();
  }
}
