package io.salesvoice.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.schema.telephony.PlacedCall;
import io.salesvoice.schema.telephony.PlacementStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A ledger in a compacted topic, written by one instance and read back by another, against the real broker. */
@ExtendWith(LocalStackExtension.class)
class CompactedTopicLedgerTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final KafkaStack stack;
  private StackClients clients;
  private RecordSender sender;

  CompactedTopicLedgerTest(KafkaStack stack) {
    this.stack = stack;
  }

  @BeforeEach
  void connect() {
    clients = new StackClients(stack);
    sender = RecordSender.create(clients.settings());
  }

  @AfterEach
  void disconnect() {
    sender.close();
    clients.close();
  }

  @Test
  void anEntryIsVisibleOnceAcknowledgedAndAnotherInstanceKnowsItWhenReady() {
    String topic = clients.createTopicWithDeadLetters("ledger-handover", 2);
    List<PlacedCall> applied = new CopyOnWriteArrayList<>();
    try (CompactedTopicLedger<PlacedCall> first = ledger(topic, applied::add)) {
      first.ready().block(WAIT);
      first.record("c1", placed("c1", PlacementStatus.ATTEMPTING)).block(WAIT);
      assertThat(first.lookup("c1")).map(PlacedCall::getStatus).contains(PlacementStatus.ATTEMPTING);
      first.record("c1", placed("c1", PlacementStatus.PLACED)).block(WAIT);
      first.record("c2", placed("c2", PlacementStatus.REJECTED)).block(WAIT);
      // told of each value written here (and again as the reader reads it back)
      assertThat(applied).extracting(PlacedCall::getStatus).contains(PlacementStatus.ATTEMPTING,
          PlacementStatus.PLACED, PlacementStatus.REJECTED);

      // Reading the records it wrote itself changes nothing: they are not newer than what it holds.
      first.catchUp();
      first.ready().block(WAIT);
      assertThat(first.lookup("c1")).map(PlacedCall::getStatus).contains(PlacementStatus.PLACED);
    }
    try (CompactedTopicLedger<PlacedCall> next = ledger(topic, c -> { })) {
      next.ready().block(WAIT);
      assertThat(next.size()).isEqualTo(2);
      assertThat(next.lookup("c1")).map(PlacedCall::getStatus).contains(PlacementStatus.PLACED);
      assertThat(next.lookup("c2")).map(PlacedCall::getStatus).contains(PlacementStatus.REJECTED);
    }
  }

  @Test
  void aTombstoneRemovesAnEntry() {
    String topic = clients.createTopicWithDeadLetters("ledger-tombstone", 1);
    clients.send(topic, "c1", placed("c1", PlacementStatus.PLACED));
    try (CompactedTopicLedger<PlacedCall> ledger = ledger(topic, c -> { })) {
      ledger.ready().block(WAIT);
      assertThat(ledger.size()).isEqualTo(1);

      clients.sendRaw(new ProducerRecord<>(topic, "c1", null));
      ledger.catchUp();
      ledger.ready().block(WAIT);
      assertThat(ledger.lookup("c1")).isEmpty();
    }
  }

  private CompactedTopicLedger<PlacedCall> ledger(String topic, java.util.function.Consumer<PlacedCall> onApplied) {
    return new CompactedTopicLedger<>(clients.settings(), "test-ledger", topic, PlacedCall.class, sender, onApplied);
  }

  private static PlacedCall placed(String callId, PlacementStatus status) {
    return PlacedCall.newBuilder().setCallId(callId).setProvider("test").setStatus(status)
        .setUpdatedAt(Instant.now()).build();
  }
}
