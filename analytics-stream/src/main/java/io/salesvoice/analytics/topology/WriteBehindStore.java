package io.salesvoice.analytics.topology;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * Keeps the values its processor works on as objects and writes each changed one to its logged store once per commit,
 * instead of serializing and deserializing a call's whole state on every record, which was most of the stream
 * thread's work. Kafka Streams has one hook for that: before every commit it flushes each {@link CachedStateStore}
 * (the interface of its own record caches, in its internals package), so the writes reach the changelog inside the
 * commit's transaction; an aborted one clears the objects.
 * <p>The processor reads and writes through {@link #live}, {@link #write} and {@link #remove}, on its stream thread
 * only. Interactive queries go through the {@link ReadOnlyKeyValueStore} methods, which answer from the committed
 * store: thread-safe, and at most one commit interval behind. Up to {@code maxObjects} unchanged values stay as
 * objects after a commit, so the next record of a live call finds its state without a read.
 */
final class WriteBehindStore<K, V> implements StateStore, ReadOnlyKeyValueStore<K, V>, CachedStateStore<K, V> {

  private final KeyValueStore<K, V> committed;
  private final int maxObjects;
  private final LinkedHashMap<K, Held<V>> objects;

  /** A value as the processor last left it; {@code changed} until the next flush writes it (null value: delete). */
  private static final class Held<V> {
    V value;
    boolean changed;

    Held(V value, boolean changed) {
      this.value = value;
      this.changed = changed;
    }
  }

  WriteBehindStore(KeyValueStore<K, V> committed, int maxObjects) {
    this.committed = committed;
    this.maxObjects = maxObjects;
    this.objects = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, Held<V>> eldest) {
        return size() > WriteBehindStore.this.maxObjects && !eldest.getValue().changed;
      }
    };
  }

  /** A store builder whose stores hold their values as objects in front of what {@code committed} builds. */
  static <K, V> StoreBuilder<WriteBehindStore<K, V>> builder(StoreBuilder<KeyValueStore<K, V>> committed,
                                                             int maxObjects) {
    return new Builder<>(committed.withCachingDisabled(), maxObjects);
  }

  /** The value as the processor last wrote it, or null; a value read from the store is held for next time. */
  V live(K key) {
    Held<V> held = objects.get(key);
    if (held != null) {
      return held.value;
    }
    V value = committed.get(key);
    if (value != null) {
      objects.put(key, new Held<>(value, false));
    }
    return value;
  }

  /** Records that {@code value} (possibly the object {@link #live} returned, changed) is the key's value now. */
  void write(K key, V value) {
    Objects.requireNonNull(value, "value");
    objects.put(key, new Held<>(value, true));
  }

  void remove(K key) {
    objects.put(key, new Held<>(null, true));
  }

  /** Drops the objects without writing them: the task starts over from its committed store (init, recycle). */
  void forgetObjects() {
    objects.clear();
  }

  int heldObjects() {
    return objects.size();
  }

  @Override
  public void flush() {
    flushCache();
    committed.flush();
  }

  /** Writes the changed objects to the committed store, and so to its changelog; called before every commit. */
  @Override
  public void flushCache() {
    Iterator<Map.Entry<K, Held<V>>> it = objects.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<K, Held<V>> e = it.next();
      Held<V> held = e.getValue();
      if (!held.changed) {
        continue;
      }
      if (held.value == null) {
        committed.delete(e.getKey());
        it.remove();
      } else {
        committed.put(e.getKey(), held.value);
        held.changed = false;
      }
    }
    // Iterating does not count as access: the eldest are still first.
    for (it = objects.entrySet().iterator(); objects.size() > maxObjects && it.hasNext(); ) {
      it.next();
      it.remove();
    }
  }

  @Override
  public void clearCache() {
    forgetObjects();
  }

  @Override
  public boolean setFlushListener(CacheFlushListener<K, V> listener, boolean sendOldValues) {
    return false; // nothing downstream reads this store's changes
  }

  @Override
  public String name() {
    return committed.name();
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    objects.clear();
    committed.init(context, root);
  }

  @Deprecated
  @Override
  public void init(org.apache.kafka.streams.processor.ProcessorContext context, StateStore root) {
    objects.clear();
    committed.init(context, root);
  }

  @Override
  public void close() {
    objects.clear();
    committed.close();
  }

  @Override
  public boolean persistent() {
    return committed.persistent();
  }

  @Override
  public boolean isOpen() {
    return committed.isOpen();
  }

  @Override
  public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
    return committed.query(query, positionBound, config);
  }

  @Override
  public Position getPosition() {
    return committed.getPosition();
  }

  // Interactive queries: the committed values.

  @Override
  public V get(K key) {
    return committed.get(key);
  }

  @Override
  public KeyValueIterator<K, V> range(K from, K to) {
    return committed.range(from, to);
  }

  @Override
  public KeyValueIterator<K, V> reverseRange(K from, K to) {
    return committed.reverseRange(from, to);
  }

  @Override
  public KeyValueIterator<K, V> all() {
    return committed.all();
  }

  @Override
  public KeyValueIterator<K, V> reverseAll() {
    return committed.reverseAll();
  }

  @Override
  public long approximateNumEntries() {
    return committed.approximateNumEntries();
  }

  private static final class Builder<K, V> implements StoreBuilder<WriteBehindStore<K, V>> {
    private final StoreBuilder<KeyValueStore<K, V>> committed;
    private final int maxObjects;

    Builder(StoreBuilder<KeyValueStore<K, V>> committed, int maxObjects) {
      this.committed = committed;
      this.maxObjects = maxObjects;
    }

    @Override
    public StoreBuilder<WriteBehindStore<K, V>> withCachingEnabled() {
      throw new UnsupportedOperationException("a write-behind store is its own cache");
    }

    @Override
    public StoreBuilder<WriteBehindStore<K, V>> withCachingDisabled() {
      return this;
    }

    @Override
    public StoreBuilder<WriteBehindStore<K, V>> withLoggingEnabled(Map<String, String> config) {
      committed.withLoggingEnabled(config);
      return this;
    }

    @Override
    public StoreBuilder<WriteBehindStore<K, V>> withLoggingDisabled() {
      committed.withLoggingDisabled();
      return this;
    }

    @Override
    public WriteBehindStore<K, V> build() {
      return new WriteBehindStore<>(committed.build(), maxObjects);
    }

    @Override
    public Map<String, String> logConfig() {
      return committed.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
      return committed.loggingEnabled();
    }

    @Override
    public String name() {
      return committed.name();
    }
  }
}
