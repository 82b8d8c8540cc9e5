package io.salesvoice.analytics.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The processor's objects reach the committed store (and its changelog) at a flush, and only then. */
class WriteBehindStoreTest {

  private WriteBehindStore<String, List<String>> store;

  @BeforeEach
  void open() {
    // A list serde is enough to see what was written when: the store never serializes outside a flush.
    var committed = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("calls"), Serdes.String(),
        Serdes.ListSerde(ArrayList.class, Serdes.String())).withLoggingDisabled();
    @SuppressWarnings({"unchecked", "rawtypes"})
    var builder = WriteBehindStore.builder((org.apache.kafka.streams.state.StoreBuilder) committed, 3);
    @SuppressWarnings("unchecked")
    WriteBehindStore<String, List<String>> built = (WriteBehindStore<String, List<String>>) builder.build();
    store = built;
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void writesReachTheCommittedStoreAtTheFlushAndQueriesSeeOnlyThose() {
    List<String> state = new ArrayList<>(List.of("started"));
    store.write("c1", state);
    assertThat(store.live("c1")).isSameAs(state);
    assertThat(store.get("c1")).isNull();

    store.flushCache();
    assertThat(store.get("c1")).containsExactly("started");

    state.add("answered"); // changed in place, as the processor does, then written
    store.write("c1", state);
    assertThat(store.get("c1")).containsExactly("started");
    store.flush();
    assertThat(store.get("c1")).containsExactly("started", "answered");

    store.remove("c1");
    assertThat(store.live("c1")).isNull();
    assertThat(store.get("c1")).isNotNull();
    store.flushCache();
    assertThat(store.get("c1")).isNull();
    assertThat(store.live("c1")).isNull();
  }

  @Test
  void anAbortedCommitDropsTheUnwrittenObjectsAndTheCommittedValueComesBack() {
    store.write("c1", new ArrayList<>(List.of("started")));
    store.flushCache();
    List<String> state = store.live("c1");
    state.add("answered");
    store.write("c1", state);

    store.clearCache(); // what Kafka Streams does when the transaction is aborted
    assertThat(store.live("c1")).containsExactly("started");
  }

  @Test
  void atMostTheBoundOfUnchangedObjectsStaysHeldAndChangedOnesAreNeverDropped() {
    for (int i = 0; i < 10; i++) {
      store.write("c" + i, new ArrayList<>(List.of("v" + i)));
    }
    assertThat(store.heldObjects()).isEqualTo(10); // changed: held until written
    store.flushCache();
    assertThat(store.heldObjects()).isEqualTo(3);
    for (int i = 0; i < 10; i++) {
      assertThat(store.live("c" + i)).containsExactly("v" + i);
    }
    assertThat(store.heldObjects()).isEqualTo(3);
  }
}
