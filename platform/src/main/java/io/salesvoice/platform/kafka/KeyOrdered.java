package io.salesvoice.platform.kafka;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Work for different keys runs concurrently, work for one key runs one item at a time in arrival order: parallelism
 * across calls inside one partition without giving up per-call order (key ordering, in the manner of Confluent's
 * Parallel Consumer), and without {@code groupBy(callId)}, which can hang with many open groups.
 */
public final class KeyOrdered {

  private KeyOrdered() {
  }

  /**
   * Like {@code flatMap(work, concurrency)}, except that an item starts only after every earlier item with the same key
   * has finished (completed, failed or been cancelled).
   */
  public static <T, R> Flux<R> flatMap(Flux<T> source, Function<? super T, String> key,
                                       Function<? super T, ? extends Publisher<R>> work, int concurrency) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1");
    }
    return Flux.defer(() -> {
      Map<String, Mono<Void>> tails = new ConcurrentHashMap<>();
      return source.flatMap(item -> {
        String k = Objects.requireNonNullElse(key.apply(item), "");
        Sinks.Empty<Void> finished = Sinks.empty();
        Mono<Void> tail = finished.asMono();
        Mono<Void> previous = tails.put(k, tail);
        Flux<R> run = Flux.defer(() -> work.apply(item));
        Flux<R> ordered = previous == null ? run : previous.thenMany(run);
        return ordered.doFinally(signal -> {
          tails.remove(k, tail);
          finished.tryEmitEmpty();
        });
      }, concurrency);
    });
  }
}
