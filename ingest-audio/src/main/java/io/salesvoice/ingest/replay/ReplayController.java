package io.salesvoice.ingest.replay;

import io.salesvoice.ingest.IngestMetrics;
import io.salesvoice.ingest.IngestProperties;
import io.salesvoice.ingest.audio.MalformedAudioException;
import io.salesvoice.ingest.audio.UnsupportedAudioException;
import io.salesvoice.schema.audio.Channel;
import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code POST /api/replays} takes a WAV recording (raw body, or the {@code file} part of a multipart form) and starts
 * replaying it; {@code GET /api/replays/{id}} reports progress. Bad uploads get 400 (damaged WAV), 413 (too large)
 * or 415 (not a WAV we decode) with a message, and a metric.
 */
@RestController
@RequestMapping("/api/replays")
public class ReplayController {

  private final ReplayService replays;
  private final IngestMetrics metrics;
  private final int maxBytes;

  public ReplayController(ReplayService replays, IngestMetrics metrics, IngestProperties properties) {
    this.replays = replays;
    this.metrics = metrics;
    this.maxBytes = (int) Math.min(Integer.MAX_VALUE - 8, properties.replay().maxSize().toBytes());
  }

  /** A refused upload: status and message. */
  static final class Refused extends RuntimeException {
    final HttpStatus status;
    final String reason;

    Refused(HttpStatus status, String reason, String message) {
      super(message);
      this.status = status;
      this.reason = reason;
    }
  }

  @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  public Mono<ResponseEntity<ReplayStatus>> startMultipart(@RequestBody Flux<PartEvent> parts,
                                                            @RequestParam Map<String, String> params,
                                                            ServerHttpRequest request) {
    if (declaredTooLarge(request)) {
      return refuseAfterDraining(parts.map(PartEvent::content));
    }
    Flux<DataBuffer> file = parts.concatMap(p -> {
      if ("file".equals(p.name())) {
        return Mono.just(p.content());
      }
      DataBufferUtils.release(p.content());
      return Mono.empty();
    });
    return start(file, params);
  }

  @PostMapping(consumes = {"audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave",
      MediaType.APPLICATION_OCTET_STREAM_VALUE})
  public Mono<ResponseEntity<ReplayStatus>> startRaw(@RequestBody(required = false) Flux<DataBuffer> body,
                                                      @RequestParam Map<String, String> params,
                                                      ServerHttpRequest request) {
    if (declaredTooLarge(request)) {
      return refuseAfterDraining(body == null ? Flux.empty() : body);
    }
    return start(body == null ? Flux.empty() : body, params);
  }

  @GetMapping("/{id}")
  public Mono<ResponseEntity<ReplayStatus>> status(@PathVariable String id) {
    return Mono.just(replays.status(id).map(ResponseEntity::ok).orElseGet(() -> ResponseEntity.notFound().build()));
  }

  private Mono<ResponseEntity<ReplayStatus>> start(Flux<DataBuffer> content, Map<String, String> params) {
    ReplayService.Request request = request(params);
    return DataBufferUtils.join(content, maxBytes)
        .onErrorMap(DataBufferLimitException.class, e -> tooLarge())
        .switchIfEmpty(Mono.error(() -> new Refused(HttpStatus.BAD_REQUEST, "empty_upload",
            "no recording: send a WAV as the body or as the multipart part named 'file'")))
        .map(buffer -> {
          byte[] bytes = new byte[buffer.readableByteCount()];
          buffer.read(bytes);
          DataBufferUtils.release(buffer);
          return bytes;
        })
        .publishOn(Schedulers.boundedElastic())
        .map(bytes -> replays.start(bytes, request))
        .map(status -> ResponseEntity.accepted().location(URI.create("/api/replays/" + status.id())).body(status));
  }

  private boolean declaredTooLarge(ServerHttpRequest request) {
    return request.getHeaders().getContentLength() > maxBytes;
  }

  /**
   * Answers 413 after reading (and discarding) the upload, up to a bound: a client that is still sending when the
   * server answers may never read the answer. Beyond the bound the connection is given up, which is what a client
   * declaring a far larger body gets.
   */
  private Mono<ResponseEntity<ReplayStatus>> refuseAfterDraining(Flux<DataBuffer> body) {
    long bound = Math.max(maxBytes, 1L) * 2;
    java.util.concurrent.atomic.AtomicLong read = new java.util.concurrent.atomic.AtomicLong();
    return body.doOnNext(b -> {
          read.addAndGet(b.readableByteCount());
          DataBufferUtils.release(b);
        })
        .takeUntil(b -> read.get() > bound)
        .then(Mono.error(this::tooLarge));
  }

  private Refused tooLarge() {
    return new Refused(HttpStatus.PAYLOAD_TOO_LARGE, "too_large",
        "the recording exceeds the limit of " + maxBytes + " bytes (sva.ingest.replay.max-size)");
  }

  private static ReplayService.Request request(Map<String, String> params) {
    double speed;
    try {
      speed = Double.parseDouble(params.getOrDefault("speed", "1"));
    } catch (NumberFormatException e) {
      throw new Refused(HttpStatus.BAD_REQUEST, "bad_parameter", "speed must be a number: 1 = real time, 0 = as fast as possible");
    }
    if (!(speed >= 0 && speed <= 100)) {
      throw new Refused(HttpStatus.BAD_REQUEST, "bad_parameter", "speed must be between 0 and 100");
    }
    Channel left = null;
    if (params.containsKey("leftChannel")) {
      try {
        left = Channel.valueOf(params.get("leftChannel").toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        left = Channel.UNKNOWN;
      }
      if (left == Channel.UNKNOWN) {
        throw new Refused(HttpStatus.BAD_REQUEST, "bad_parameter", "leftChannel must be AGENT or CUSTOMER");
      }
    }
    Map<String, String> extra = new HashMap<>(params);
    for (String k : new String[] {"speed", "callId", "campaignId", "language", "scriptId", "leftChannel"}) {
      extra.remove(k);
    }
    return new ReplayService.Request(speed, params.get("callId"), params.get("campaignId"), params.get("language"),
        params.get("scriptId"), left, extra);
  }

  @ExceptionHandler(Refused.class)
  ResponseEntity<Map<String, Object>> refused(Refused e) {
    return error(e.status, e.reason, e.getMessage());
  }

  @ExceptionHandler(UnsupportedAudioException.class)
  ResponseEntity<Map<String, Object>> unsupported(UnsupportedAudioException e) {
    return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_audio", e.getMessage());
  }

  @ExceptionHandler(MalformedAudioException.class)
  ResponseEntity<Map<String, Object>> malformed(MalformedAudioException e) {
    return error(HttpStatus.BAD_REQUEST, "malformed_audio", e.getMessage());
  }

  private ResponseEntity<Map<String, Object>> error(HttpStatus status, String reason, String message) {
    metrics.rejected("replay", reason);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status.value());
    body.put("error", status.getReasonPhrase());
    body.put("message", message);
    return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
  }
}
