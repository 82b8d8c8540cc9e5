package io.salesvoice.platform.kafka;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Work for different keys runs concurrently, work for one key runs one item at a time in arrival order: parallelism
 * across calls inside one partition without giving up per-call order (key ordering, in the manner of Confluent's
 * Parallel Consumer), and without {@code groupBy(callId)}, which can hang with many open groups.
 */
public final class KeyOrdered {

  /**
   * Items that may wait behind their key without holding a slot. Beyond it a waiting item holds one, which stops the
   * source once every slot is held: memory stays bounded when one key has a long backlog.
   */
  static final int MAX_WAITING_WITHOUT_SLOT = 2048;

  private KeyOrdered() {
  }

  /**
   * Like {@code flatMap(work, concurrency)}, except that an item starts only after every earlier item with the same key
   * has finished (completed or failed), and {@code concurrency} counts keys being worked on, not items: an item waiting
   * behind its key takes no slot (up to {@link #MAX_WAITING_WITHOUT_SLOT} of them), so a burst of one call's records
   * (a replay, a backlog) does not keep the other calls waiting.
   */
  public static <T, R> Flux<R> flatMap(Flux<T> source, Function<? super T, String> key,
                                       Function<? super T, ? extends Publisher<R>> work, int concurrency) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1");
    }
    return Flux.defer(() -> new Keys<T, R>(key, work).run(source, concurrency));
  }

  /** One subscription's state: the items waiting behind each key that has work running. */
  private static final class Keys<T, R> {
    private final Function<? super T, String> key;
    private final Function<? super T, ? extends Publisher<R>> work;
    /** Guarded by itself; a key is absent while nothing of it runs. */
    private final Map<String, Deque<Waiting<T>>> waiting = new HashMap<>();
    private int waitingWithoutSlot;

    Keys(Function<? super T, String> key, Function<? super T, ? extends Publisher<R>> work) {
      this.key = key;
      this.work = work;
    }

    /** An item behind its key; {@code done} is set when the item holds a slot until it has been worked on. */
    private record Waiting<T>(T item, Sinks.Empty<Void> done) {
    }

    /** What reaches a slot: the first item of a key (which then works through the key's queue), or a waiter. */
    private sealed interface Task<T> permits First, Holder {
    }

    private record First<T>(String key, T item) implements Task<T> {
    }

    private record Holder<T>(Sinks.Empty<Void> done) implements Task<T> {
    }

    Flux<R> run(Flux<T> source, int concurrency) {
      // an item that only waits behind its key is kept here and never reaches a slot: the source is asked for the next
      return source.<Task<T>>handle((item, sink) -> {
        String k = Objects.requireNonNullElse(key.apply(item), "");
        synchronized (waiting) {
          Deque<Waiting<T>> queue = waiting.get(k);
          if (queue == null) {
            waiting.put(k, new ArrayDeque<>());
            sink.next(new First<>(k, item));
          } else if (waitingWithoutSlot < MAX_WAITING_WITHOUT_SLOT) {
            queue.add(new Waiting<>(item, null));
            waitingWithoutSlot++;
          } else {
            Sinks.Empty<Void> done = Sinks.empty();
            queue.add(new Waiting<>(item, done));
            sink.next(new Holder<>(done));
          }
        }
      }).flatMap(task -> task instanceof First<T> first ? worker(first) : ((Holder<T>) task).done().asMono()
          .thenMany(Flux.<R>empty()), concurrency);
    }

    /** Works on the key's first item, then on each item that queued behind it, until none is left. */
    private Flux<R> worker(First<T> first) {
      return Flux.<Waiting<T>, Boolean>generate(() -> false, (started, sink) -> {
            if (!started) {
              sink.next(new Waiting<>(first.item(), null));
              return true;
            }
            synchronized (waiting) {
              Waiting<T> next = waiting.get(first.key()).poll();
              if (next == null) {
                waiting.remove(first.key());
                sink.complete();
              } else {
                if (next.done() == null) {
                  waitingWithoutSlot--;
                }
                sink.next(next);
              }
            }
            return true;
          })
          // no prefetch: the key's next item is taken only once the previous one has finished
          .concatMap(w -> Flux.from(work.apply(w.item()))
              .doFinally(signal -> {
                if (w.done() != null) {
                  w.done().tryEmitEmpty();
                }
              }), 0);
    }
  }
}
