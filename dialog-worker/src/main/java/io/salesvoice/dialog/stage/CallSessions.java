package io.salesvoice.dialog.stage;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The live calls of the partitions this instance owns. Filled from the compacted state topic when partitions are
 * assigned, emptied of a partition's calls when it is revoked: only the owner of a partition answers its calls.
 */
final class CallSessions {

  /** Calls remembered as finished, so a late or redelivered transcript is not answered; bounded, oldest forgotten. */
  private static final int ENDED_CAPACITY = 100_000;

  private final Map<String, CallSession> sessions = new ConcurrentHashMap<>();
  private final Set<Integer> restored = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> ended = java.util.Collections.synchronizedMap(
      new java.util.LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
          return size() > ENDED_CAPACITY;
        }
      });

  boolean isEnded(String callId) {
    return ended.containsKey(callId);
  }

  /** The call is over: its session is forgotten, its id remembered. */
  void end(String callId, int partition) {
    ended.put(callId, partition);
    sessions.remove(callId);
  }

  Optional<CallSession> get(String callId) {
    return Optional.ofNullable(sessions.get(callId));
  }

  CallSession computeIfAbsent(String callId, Function<String, CallSession> create) {
    return sessions.computeIfAbsent(callId, create);
  }

  void put(String callId, CallSession session) {
    sessions.put(callId, session);
  }

  void remove(String callId) {
    sessions.remove(callId);
  }

  int size() {
    return sessions.size();
  }

  boolean isRestored(int partition) {
    return restored.contains(partition);
  }

  void markRestored(int partition) {
    restored.add(partition);
  }

  /** Forgets the calls of partitions this instance no longer owns: their next owner restores them. */
  void drop(Collection<Integer> partitions) {
    sessions.values().removeIf(s -> partitions.contains(s.partition));
    synchronized (ended) {   // iterating a synchronized map's view needs its lock
      ended.values().removeIf(partitions::contains);
    }
    restored.removeAll(partitions);
  }
}
