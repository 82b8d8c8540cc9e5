package io.salesvoice.ingest.it;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** A provider's side of a media WebSocket for tests: sends frames when told, records what arrives and when. */
final class WsTestClient implements AutoCloseable {

  /** A frame from the server and when it arrived (System.nanoTime). */
  record Frame(String text, byte[] binary, long atNanos) {
  }

  private final Sinks.Many<Object> out = Sinks.many().unicast().onBackpressureBuffer();
  final List<Frame> received = new CopyOnWriteArrayList<>();
  final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
  private final Disposable connection;

  private WsTestClient(URI uri) {
    connection = new ReactorNettyWebSocketClient().execute(uri, session -> {
      session.closeStatus().subscribe(closed::complete);
      Mono<Void> in = session.receive()
          .doOnNext(m -> {
            long at = System.nanoTime();
            if (m.getType() == WebSocketMessage.Type.TEXT) {
              received.add(new Frame(m.getPayloadAsText(), null, at));
            } else if (m.getType() == WebSocketMessage.Type.BINARY) {
              byte[] b = new byte[m.getPayload().readableByteCount()];
              m.getPayload().read(b);
              received.add(new Frame(null, b, at));
            }
          }).then();
      Mono<Void> send = session.send(out.asFlux().map(o -> o instanceof byte[] b
          ? session.binaryMessage(f -> f.wrap(b)) : session.textMessage((String) o)));
      return Mono.firstWithSignal(in, send.then(Mono.never())).then(session.close());
    }).subscribe(v -> { }, closed::completeExceptionally, () -> closed.complete(CloseStatus.NORMAL));
  }

  static WsTestClient connect(URI uri) {
    return new WsTestClient(uri);
  }

  void send(String text) {
    emit(text);
  }

  void send(byte[] binary) {
    emit(binary);
  }

  private synchronized void emit(Object o) {
    out.emitNext(o, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
  }

  CloseStatus awaitClose(Duration timeout) {
    try {
      return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("the server did not close the connection: " + e, e);
    }
  }

  boolean isClosed() {
    return closed.isDone();
  }

  List<Frame> texts(Predicate<String> filter) {
    return received.stream().filter(f -> f.text() != null && filter.test(f.text())).toList();
  }

  /** Waits until at least {@code n} frames match. */
  List<Frame> await(Predicate<Frame> filter, int n, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      List<Frame> matching = received.stream().filter(filter).toList();
      if (matching.size() >= n || Instant.now().isAfter(deadline)) {
        return matching;
      }
      IngestInstance.sleep(10);
    }
  }

  @Override
  public void close() {
    out.tryEmitComplete();
    connection.dispose();
  }
}
