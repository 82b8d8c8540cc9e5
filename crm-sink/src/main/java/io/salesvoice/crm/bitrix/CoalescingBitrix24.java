package io.salesvoice.crm.bitrix;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Packs the single calls of many commands in flight into {@code batch} requests of up to 50: the portal limits HTTP
 * requests (2 per second), not the calls inside them, so under load one request carries the next step of up to 50
 * commands. At most {@code maxInFlight} requests are out at a time; calls that arrive meanwhile wait for the next one,
 * which is how they gather. A call refused inside a batch fails alone; a batch that cannot be sent fails its calls
 * with the same {@link Bitrix24Unavailable}.
 */
public final class CoalescingBitrix24 implements Bitrix24 {

  private record Pending(String method, Map<String, ?> params, MonoSink<JsonNode> sink) {
  }

  private final WebClientBitrix24 portal;
  private final int maxBatch;
  private final int maxInFlight;
  private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();

  public CoalescingBitrix24(WebClientBitrix24 portal, int maxBatch, int maxInFlight) {
    if (maxBatch < 1 || maxBatch > WebClientBitrix24.MAX_BATCH || maxInFlight < 1) {
      throw new IllegalArgumentException("maxBatch must be 1.." + WebClientBitrix24.MAX_BATCH
          + " and maxInFlight at least 1");
    }
    this.portal = portal;
    this.maxBatch = maxBatch;
    this.maxInFlight = maxInFlight;
  }

  public WebClientBitrix24 portal() {
    return portal;
  }

  @Override
  public Mono<JsonNode> call(String method, Map<String, ?> params) {
    return Mono.create(sink -> {
      queue.add(new Pending(method, params, sink));
      dispatch();
    });
  }

  @Override
  public Mono<Map<String, JsonNode>> batch(LinkedHashMap<String, Call> calls) {
    return portal.batch(calls);
  }

  /**
   * Starts a request when one may go out: it first waits for its turn in the portal's bucket and only then takes the
   * calls queued by that time, so the calls that arrive while it waits ride along.
   */
  private void dispatch() {
    while (!queue.isEmpty()) {
      int n = inFlight.get();
      if (n >= maxInFlight) {
        return;   // a finishing request dispatches again
      }
      if (inFlight.compareAndSet(n, n + 1)) {
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
      taken.add(p);
    }
    return taken;
  }

  private void sendQueued() {
    List<Pending> taken = take();
    if (taken.isEmpty()) {
      inFlight.decrementAndGet();
      dispatch();
      return;
    }
    send(taken);
  }

  private void failNext(Throwable e) {
    take().forEach(p -> p.sink().error(e));
    inFlight.decrementAndGet();
    dispatch();
  }

  private void send(List<Pending> taken) {
    Runnable done = () -> {
      inFlight.decrementAndGet();
      dispatch();
    };
    if (taken.size() == 1) {
      // Alone: a plain call, no batch envelope.
      Pending p = taken.get(0);
      portal.call(p.method(), p.params(), true)
          .doFinally(s -> done.run())
          .subscribe(p.sink()::success, p.sink()::error);
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
        }, e -> taken.forEach(p -> p.sink().error(e)));
  }
}
