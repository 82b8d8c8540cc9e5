package io.salesvoice.simulators.carrier;

import java.util.ArrayDeque;
import java.util.Queue;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * At most {@code max} SIMULATED calls at once, without blocking a thread: a request waits for a free line, so the
 * consumer of {@code sva.dialer.requests} slows down instead of the carrier placing unbounded calls.
 */
final class CallPermits {

  private final int max;
  private final Queue<MonoSink<Runnable>> waiting = new ArrayDeque<>();
  private int used;

  CallPermits(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max concurrent calls must be at least 1");
    }
    this.max = max;
  }

  /** A permit, once one is free; run the returned release exactly once when the call is over. */
  Mono<Runnable> acquire() {
    return Mono.create(sink -> {
      boolean now;
      synchronized (this) {
        now = used < max;
        if (now) {
          used++;
        } else {
          waiting.add(sink);
        }
      }
      if (now) {
        sink.success(releaser());
      } else {
        sink.onCancel(() -> {
          synchronized (this) {
            waiting.remove(sink);
          }
        });
      }
    });
  }

  synchronized int inUse() {
    return used;
  }

  private Runnable releaser() {
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    return () -> {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      MonoSink<Runnable> next;
      synchronized (this) {
        next = waiting.poll();
        if (next == null) {
          used--;
        }
      }
      if (next != null) {
        next.success(releaser());
      }
    };
  }
}
