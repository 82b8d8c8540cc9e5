package io.salesvoice.stt.engine;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Threads for blocking speech engines that take work from one shared queue, oldest first. Reactor's bounded elastic
 * scheduler, used before, hands work that arrives while every thread is busy to one thread's own queue: an utterance
 * queued behind another that streamed for half a minute waited that long while the other thread sat idle (24.8 s,
 * measured in the end-to-end campaign, and the caller hung up on a silent agent).
 */
public final class DecodingThreads {

  /** Work that may wait for a thread; beyond it scheduling is refused (the stage retries the record). */
  static final int MAX_QUEUED = 10_000;

  private DecodingThreads() {
  }

  /** A scheduler of {@code threads} daemon threads named {@code name-N} sharing one first-in first-out queue. */
  public static Scheduler fifo(String name, int threads) {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(MAX_QUEUED), task -> {
          Thread t = new Thread(task, name + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    return Schedulers.fromExecutorService(executor, name);
  }
}
