package io.salesvoice.simulators.carrier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A small stand-in for ingest-audio's side of Twilio Media Streams, for tests: records every frame the carrier sends
 * (with its arrival time), and sends what the test tells it — agent {@code media}, {@code mark}, {@code clear}, a close.
 */
final class TestEdge implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A frame from the carrier and when it arrived (System.nanoTime). */
  record Frame(JsonNode json, long atNanos) {
    String event() {
      return json.path("event").asText();
    }

    boolean isVoice() {
      if (!"media".equals(event())) {
        return false;
      }
      for (byte b : Base64.getDecoder().decode(json.path("media").path("payload").asText())) {
        if (b != TelephoneAudio.MULAW_SILENCE) {
          return true;
        }
      }
      return false;
    }

    boolean isSilence() {
      return "media".equals(event()) && !isVoice();
    }
  }

  record Close(int code, String reason) {
  }

  final List<Frame> received = new CopyOnWriteArrayList<>();
  private final Sinks.Many<String> out = Sinks.many().unicast().onBackpressureBuffer();
  private final Sinks.One<Close> close = Sinks.one();
  private final DisposableServer server;
  private volatile boolean closeOnStop = true;

  TestEdge() {
    server = HttpServer.create().host("127.0.0.1").port(0)
        .route(routes -> routes.ws("/media/twilio", (in, outbound) -> {
          in.receive().asString().subscribe(text -> {
            try {
              Frame f = new Frame(JSON.readTree(text), System.nanoTime());
              received.add(f);
              if (closeOnStop && "stop".equals(f.event())) {
                close.tryEmitValue(new Close(1000, "stop"));
              }
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
          return Mono.firstWithSignal(outbound.sendString(out.asFlux()).then(),
              // a clean close: our close frame, then the carrier's answer, before the connection goes away
              close.asMono().flatMap(status -> outbound.sendClose(status.code(), status.reason()))
                  .then(in.receiveCloseStatus().timeout(Duration.ofSeconds(5)).onErrorResume(e -> Mono.empty()))
                  .then());
        }))
        .bindNow();
  }

  URI uri() {
    return URI.create("ws://127.0.0.1:" + server.port() + "/media/twilio");
  }

  void closeOnStop(boolean closeOnStop) {
    this.closeOnStop = closeOnStop;
  }

  void sendAgentAudio(int frames) {
    byte[] payload = new byte[TelephoneAudio.FRAME_BYTES];
    java.util.Arrays.fill(payload, (byte) 0x2A);
    String media = "{\"event\":\"media\",\"streamSid\":\"MZ1\",\"media\":{\"payload\":\""
        + Base64.getEncoder().encodeToString(payload) + "\"}}";
    for (int i = 0; i < frames; i++) {
      out.tryEmitNext(media);
    }
  }

  void sendMark(String name) {
    out.tryEmitNext("{\"event\":\"mark\",\"streamSid\":\"MZ1\",\"mark\":{\"name\":\"" + name + "\"}}");
  }

  void sendClear() {
    out.tryEmitNext("{\"event\":\"clear\",\"streamSid\":\"MZ1\"}");
  }

  void closeWith(int code, String reason) {
    close.tryEmitValue(new Close(code, reason));
  }

  /** Waits until a frame matching {@code p} arrived after index {@code from}; returns its index. */
  int await(Predicate<Frame> p, int from, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      for (int i = from; i < received.size(); i++) {
        if (p.test(received.get(i))) {
          return i;
        }
      }
      sleep(5);
    }
    throw new AssertionError("no matching frame within " + timeout + "; got " + received.size() + " frames");
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.disposeNow();
  }
}
