package io.salesvoice.ingest.call;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The {@code sva.audio.out} partitions this instance currently owns (its share of the consumer group), and the one a
 * new call names as its reply partition: round robin over the owned ones, so the agent's voice comes back here alone.
 */
public final class ReplyPartitions {

  private final TreeSet<Integer> owned = new TreeSet<>();
  private final AtomicInteger next = new AtomicInteger();
  private final Sinks.Many<Boolean> changes = Sinks.many().replay().latest();

  public synchronized void assigned(Collection<Integer> partitions) {
    owned.addAll(partitions);
    changes.tryEmitNext(!owned.isEmpty());
  }

  public synchronized void revoked(Collection<Integer> partitions) {
    owned.removeAll(partitions);
    changes.tryEmitNext(!owned.isEmpty());
  }

  public synchronized List<Integer> owned() {
    return List.copyOf(owned);
  }

  public synchronized boolean owns(int partition) {
    return owned.contains(partition);
  }

  /** The partition for a new call, waiting up to {@code wait} for an assignment; empty if none came. */
  public Mono<Integer> next(Duration wait) {
    return changes.asFlux().filter(Boolean::booleanValue).next()
        .timeout(wait, Mono.empty())
        .flatMap(any -> Mono.justOrEmpty(pick()));
  }

  private synchronized Integer pick() {
    if (owned.isEmpty()) {
      return null;
    }
    List<Integer> list = List.copyOf(owned);
    return list.get(Math.floorMod(next.getAndIncrement(), list.size()));
  }
}
