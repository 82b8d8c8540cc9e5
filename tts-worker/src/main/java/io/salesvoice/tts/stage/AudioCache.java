package io.salesvoice.tts.stage;

import io.salesvoice.tts.audio.OutputFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The encoded frames of lines said again and again (greetings, "one moment please", the price), bounded by bytes and
 * evicted least recently used: a cached line reaches the caller without waiting for an engine.
 */
public final class AudioCache {

  /** Everything that makes two syntheses sound the same. */
  public record Key(String engine, String voice, String language, String text, OutputFormat format) {
  }

  private final long maxBytes;
  private final int maxEntryBytes;
  private final LinkedHashMap<Key, List<byte[]>> entries = new LinkedHashMap<>(64, 0.75f, true);
  private long bytes;

  /**
   * @param maxBytes      total size of cached audio; 0 disables the cache
   * @param maxEntryBytes longest line kept (bytes of encoded audio), so long one-off answers do not flush the cache
   */
  public AudioCache(long maxBytes, int maxEntryBytes) {
    this.maxBytes = maxBytes;
    this.maxEntryBytes = maxEntryBytes;
  }

  public synchronized Optional<List<byte[]>> get(Key key) {
    return Optional.ofNullable(entries.get(key));
  }

  public synchronized void put(Key key, List<byte[]> frames) {
    long size = frames.stream().mapToLong(f -> f.length).sum();
    if (maxBytes <= 0 || size > maxEntryBytes || size > maxBytes) {
      return;
    }
    List<byte[]> previous = entries.put(key, List.copyOf(frames));
    if (previous != null) {
      bytes -= previous.stream().mapToLong(f -> f.length).sum();
    }
    bytes += size;
    Iterator<Map.Entry<Key, List<byte[]>>> it = entries.entrySet().iterator();
    while (bytes > maxBytes && it.hasNext()) {
      bytes -= it.next().getValue().stream().mapToLong(f -> f.length).sum();
      it.remove();
    }
  }

  public synchronized long bytes() {
    return bytes;
  }

  public synchronized int size() {
    return entries.size();
  }
}
