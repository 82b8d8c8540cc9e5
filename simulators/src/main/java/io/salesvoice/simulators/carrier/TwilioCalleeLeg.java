package io.salesvoice.simulators.carrier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.client.WebSocketClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One SIMULATED call leg towards the ingest edge, speaking the carrier's side of Twilio Media Streams: {@code connected}
 * and {@code start} (with the call's customParameters), the customer's audio as 20 ms mu-law {@code media} frames paced
 * in real time, {@code stop} when the customer is done; {@code media}, {@code mark} and {@code clear} from the edge go
 * to the {@link CalleeScript}.
 */
public final class TwilioCalleeLeg {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Close codes with which the edge refuses a stream before the call started: it wrote no CallEnded then. */
  private static final Set<Integer> REFUSED_BEFORE_START = Set.of(1003, 1007, 1008, 1013, 4409);
  /** More frames than this in one tick means the process stalled; the line does not burst to catch up. */
  private static final int MAX_FRAMES_PER_TICK = 10;

  /**
   * How the leg ended.
   *
   * @param outcome         {@code customer-hung-up}, {@code agent-silent}, {@code agent-hung-up}, {@code error}
   * @param closeCode       the WebSocket close code, when the edge closed
   * @param edgeWroteNoEnd  the edge never started the call (unreachable, or refused before start), so it wrote no
   *                        {@code CallEnded}: the carrier writes one
   */
  public record Result(String outcome, String detail, Integer closeCode, boolean edgeWroteNoEnd) {
  }

  private final WebSocketClient client;
  private final URI uri;
  private final LongSupplier clock;
  private final Duration maxCall;
  private final Duration stopGrace;

  public TwilioCalleeLeg(WebSocketClient client, URI uri, LongSupplier clockMillis, Duration maxCall,
                         Duration stopGrace) {
    this.client = client;
    this.uri = uri;
    this.clock = clockMillis;
    this.maxCall = maxCall;
    this.stopGrace = stopGrace;
  }

  /**
   * Places the call: connects, starts the stream with {@code parameters} as customParameters and plays the script the
   * factory makes at the moment of connection, until one side hangs up.
   */
  public Mono<Result> run(String callId, Map<String, String> parameters, LongFunction<CalleeScript> script) {
    AtomicReference<Result> result = new AtomicReference<>();
    return client.execute(uri, session -> converse(session, callId, parameters, script, result))
        .then(Mono.fromSupplier(() -> result.get() != null ? result.get()
            : new Result("agent-hung-up", "the edge closed the stream", null, false)))
        .onErrorResume(e -> Mono.just(new Result("error", "cannot reach the ingest edge at " + uri + ": "
            + describe(e), null, true)));
  }

  private Mono<Void> converse(WebSocketSession session, String callId, Map<String, String> parameters,
                              LongFunction<CalleeScript> scripts, AtomicReference<Result> result) {
    long startedAt = clock.getAsLong();
    CalleeScript script = scripts.apply(startedAt);
    String streamSid = "MZsimulated" + Integer.toHexString(callId.hashCode());
    AtomicBoolean stopSent = new AtomicBoolean();
    Sinks.Empty<Void> edgeClosed = Sinks.empty();
    long[] framesSent = {0};
    long[] sequence = {1};

    Flux<String> head = Flux.just(
        "{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}",
        start(sequence[0]++, streamSid, callId, parameters));
    Flux<String> media = Flux.interval(Duration.ZERO, Duration.ofMillis(TelephoneAudio.FRAME_MS))
        .onBackpressureDrop()
        .concatMapIterable(tick -> {
          long now = clock.getAsLong();
          List<String> out = new ArrayList<>(2);
          while (out.size() < MAX_FRAMES_PER_TICK && !stopSent.get()
              && framesSent[0] * TelephoneAudio.FRAME_MS <= now - startedAt) {
            byte[] frame = now - startedAt > maxCall.toMillis() ? null : script.nextFrame(now);
            if (frame == null) {
              stopSent.set(true);
              out.add(stop(sequence[0]++, streamSid));
            } else {
              out.add(media(sequence[0]++, streamSid, framesSent[0], frame));
              framesSent[0]++;
            }
          }
          return out;
        }, 1)
        .takeUntil(frame -> stopSent.get())
        .takeUntilOther(edgeClosed.asMono());

    Mono<Void> send = session.send(head.concatWith(media).map(session::textMessage))
        .onErrorResume(e -> Mono.empty());
    Mono<Void> receive = session.receive()
        .doOnNext(message -> onEdgeFrame(script, message.getPayloadAsText()))
        .then()
        .onErrorResume(e -> Mono.empty())
        .doFinally(s -> edgeClosed.tryEmitEmpty());
    Mono<CloseStatus> closeStatus = session.closeStatus().onErrorResume(e -> Mono.empty());

    return Mono.when(send.then(Mono.defer(() -> stopSent.get()
                // after stop the edge writes CallEnded and closes; wait a little for that, then hang up ourselves
                ? edgeClosed.asMono().timeout(stopGrace, Mono.empty()).then(session.close(CloseStatus.NORMAL))
                : Mono.empty())),
            receive)
        .then(closeStatus.map(s -> (Object) s).defaultIfEmpty("none"))
        .doOnNext(status -> {
          Integer code = status instanceof CloseStatus s ? s.getCode() : null;
          String reason = status instanceof CloseStatus s ? s.getReason() : null;
          if (stopSent.get()) {
            String why = script.finishReason() != null ? script.finishReason() : "call-too-long";
            result.set(new Result(why, "the SIMULATED customer sent stop", code, false));
          } else if (code != null && (code == 1000 || code == 1001)) {
            result.set(new Result("agent-hung-up", "the edge closed the stream", code, false));
          } else {
            result.set(new Result("error", "the edge closed the stream with " + code
                + (reason == null || reason.isBlank() ? "" : ": " + reason), code,
                code != null && REFUSED_BEFORE_START.contains(code)));
          }
        })
        .then();
  }

  private void onEdgeFrame(CalleeScript script, String text) {
    JsonNode frame;
    try {
      frame = JSON.readTree(text);
    } catch (Exception e) {
      return;   // not ours to judge: a carrier ignores what it does not understand
    }
    long now = clock.getAsLong();
    switch (frame.path("event").asText("")) {
      case "media" -> script.onAgentMedia(now);
      case "mark" -> script.onMark(now, frame.path("mark").path("name").asText(null));
      case "clear" -> script.onClear(now);
      default -> { }
    }
  }

  static String start(long sequence, String streamSid, String callId, Map<String, String> parameters) {
    ObjectNode root = JSON.createObjectNode();
    root.put("event", "start");
    root.put("sequenceNumber", String.valueOf(sequence));
    root.put("streamSid", streamSid);
    ObjectNode start = root.putObject("start");
    start.put("accountSid", "ACsimulated");
    start.put("streamSid", streamSid);
    start.put("callSid", "CAsimulated" + Integer.toHexString(callId.hashCode()));
    start.putArray("tracks").add("inbound");
    ObjectNode format = start.putObject("mediaFormat");
    format.put("encoding", "audio/x-mulaw");
    format.put("sampleRate", TelephoneAudio.SAMPLE_RATE);
    format.put("channels", 1);
    ObjectNode custom = start.putObject("customParameters");
    parameters.forEach(custom::put);
    return root.toString();
  }

  static String media(long sequence, String streamSid, long chunk, byte[] frame) {
    return "{\"event\":\"media\",\"sequenceNumber\":\"" + sequence + "\",\"streamSid\":\"" + streamSid
        + "\",\"media\":{\"track\":\"inbound\",\"chunk\":\"" + (chunk + 1) + "\",\"timestamp\":\""
        + chunk * TelephoneAudio.FRAME_MS + "\",\"payload\":\"" + Base64.getEncoder().encodeToString(frame) + "\"}}";
  }

  static String stop(long sequence, String streamSid) {
    return "{\"event\":\"stop\",\"sequenceNumber\":\"" + sequence + "\",\"streamSid\":\"" + streamSid
        + "\",\"stop\":{\"accountSid\":\"ACsimulated\",\"callSid\":\"CAsimulated\"}}";
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
