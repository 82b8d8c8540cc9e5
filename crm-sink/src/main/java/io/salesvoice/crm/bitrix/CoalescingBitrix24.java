package io.salesvoice.crm.bitrix;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Packs the single calls of many commands in flight into {@code batch} requests of up to 50: the portal limits HTTP
 * requests (2 per second), not the calls inside them, so under load one request carries the next step of up to 50
 * commands. At most {@code maxInFlight} requests are out at a time, and a request beyond the first starts only when a
 * full batch waits for it: a second request with a few calls would spend a request of the bucket on what the next one
 * carries anyway. Calls that arrive meanwhile wait for the next request, which is how they gather. A request the
 * portal's limit refused applied nothing: its calls go back to the head of the queue and ride with the others in the
 * next request, instead of being sent again as the same, maybe small, batch. A call refused inside a batch fails
 * alone; a batch that cannot be sent fails its calls with the same {@link Bitrix24Unavailable}.
 */
public final class CoalescingBitrix24 implements Bitrix24 {

  private record Pending(String method, Map<String, ?> params, MonoSink<JsonNode> sink, long queuedAt, int attempt) {
  }

  private final WebClientBitrix24 portal;
  private final int maxBatch;
  private final int maxInFlight;
  private final Deque<Pending> queue = new ConcurrentLinkedDeque<>();
  /** Calls in {@link #queue}: ConcurrentLinkedDeque counts by walking the whole queue. */
  private final AtomicInteger queued = new AtomicInteger();
  /** Requests started, from their turn in the bucket until their answer. */
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Requests started that still wait for their turn: each takes up to maxBatch of the queued calls when it comes. */
  private final AtomicInteger awaitingTurn = new AtomicInteger();
  private final DistributionSummary callsPerRequest;
  private final Timer callQueued;

  public CoalescingBitrix24(WebClientBitrix24 portal, int maxBatch, int maxInFlight, MeterRegistry meters) {
    if (maxBatch < 1 || maxBatch > WebClientBitrix24.MAX_BATCH || maxInFlight < 1) {
      throw new IllegalArgumentException("maxBatch must be 1.." + WebClientBitrix24.MAX_BATCH
          + " and maxInFlight at least 1");
    }
    this.portal = portal;
    this.maxBatch = maxBatch;
    this.maxInFlight = maxInFlight;
    this.callsPerRequest = DistributionSummary.builder("sva.crm.batch.calls")
        .description("Calls carried by one request to the portal: the share of maxBatch is the share of the "
            + "request limit used")
        .tag("portal", portal.name()).register(meters);
    this.callQueued = Timer.builder("sva.crm.batch.queued")
        .description("Time a call waited for a request to carry it (the bucket turn included)")
        .tag("portal", portal.name()).register(meters);
  }

  public WebClientBitrix24 portal() {
    return portal;
  }

  @Override
  public Mono<JsonNode> call(String method, Map<String, ?> params) {
    return Mono.create(sink -> {
      queue.add(new Pending(method, params, sink, System.nanoTime(), 1));
      queued.incrementAndGet();
      dispatch();
    });
  }

  @Override
  public Mono<Map<String, JsonNode>> batch(LinkedHashMap<String, Call> calls) {
    return portal.batch(calls);
  }

  /**
   * Starts a request when one may go out: it first waits for its turn in the portal's bucket and only then takes the
   * calls queued by that time, so the calls that arrive while it waits ride along. The first request goes out with
   * whatever waits (latency when the portal is idle); a further one only when the calls not yet claimed by requests
   * waiting for their turn fill a whole batch.
   */
  private void dispatch() {
    while (true) {
      int n = inFlight.get();
      int waiting = queued.get();
      if (n >= maxInFlight || waiting == 0) {
        return;   // a finishing request, or the next call, dispatches again
      }
      if (n > 0 && waiting - (long) awaitingTurn.get() * maxBatch < maxBatch) {
        return;   // the requests out carry these calls, or the next one after them does
      }
      if (inFlight.compareAndSet(n, n + 1)) {
        awaitingTurn.incrementAndGet();
        portal.takeTurn().subscribe(null, this::failNext, this::sendQueued);
      }
    }
  }

  private List<Pending> take() {
    List<Pending> taken = new ArrayList<>();
    while (taken.size() < maxBatch) {
      Pending p = queue.poll();
      if (p == null) {
        break;
      }
      queued.decrementAndGet();
      taken.add(p);
    }
    return taken;
  }

  private void sendQueued() {
    awaitingTurn.decrementAndGet();
    List<Pending> taken = take();
    if (taken.isEmpty()) {
      inFlight.decrementAndGet();
      dispatch();
      return;
    }
    send(taken);
  }

  private void failNext(Throwable e) {
    awaitingTurn.decrementAndGet();
    take().forEach(p -> p.sink().error(e));
    inFlight.decrementAndGet();
    dispatch();
  }

  private void send(List<Pending> taken) {
    long now = System.nanoTime();
    callsPerRequest.record(taken.size());
    taken.forEach(p -> callQueued.record(now - p.queuedAt(), TimeUnit.NANOSECONDS));
    Runnable done = () -> {
      inFlight.decrementAndGet();
      dispatch();
    };
    if (taken.size() == 1) {
      // Alone: a plain call, no batch envelope.
      Pending p = taken.get(0);
      portal.call(p.method(), p.params(), true)
          .doFinally(s -> done.run())
          .subscribe(p.sink()::success, e -> failOrRequeue(taken, e));
      return;
    }
    LinkedHashMap<String, Call> calls = new LinkedHashMap<>();
    for (int i = 0; i < taken.size(); i++) {
      calls.put("c" + i, new Call(taken.get(i).method(), taken.get(i).params()));
    }
    portal.batchEach(calls, true)
        .doFinally(s -> done.run())
        .subscribe(answers -> {
          for (int i = 0; i < taken.size(); i++) {
            WebClientBitrix24.Answer a = answers.get("c" + i);
            MonoSink<JsonNode> sink = taken.get(i).sink();
            if (a == null) {
              sink.error(new IllegalStateException("batch answered without c" + i));
            } else if (a.error() != null) {
              sink.error(a.error());
            } else {
              sink.success(a.result());
            }
          }
        }, e -> failOrRequeue(taken, e));
  }

  /** Runs before the finished request dispatches again, so the next request finds the calls put back. */
  private void failOrRequeue(List<Pending> taken, Throwable e) {
    boolean limited = e instanceof Bitrix24Unavailable u && u.code().equals(WebClientBitrix24.LIMIT);
    List<Pending> back = new ArrayList<>(taken);
    Collections.reverse(back);
    for (Pending p : back) {
      if (limited && p.attempt() < portal.limits().maxAttempts()) {
        queue.addFirst(new Pending(p.method(), p.params(), p.sink(), System.nanoTime(), p.attempt() + 1));
        queued.incrementAndGet();
      } else {
        p.sink().error(e);
      }
    }
  }
}
