package io.salesvoice.dialer;

import io.salesvoice.dialer.domain.LeadCsv;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;

/** The dialer's admin API: campaigns, their lead lists and status, and the do-not-call list. */
@RestController
@RequestMapping("/api")
class CampaignController {

  private final CampaignService service;
  private final DialerState state;
  private final long maxUploadBytes;
  private final DialerConfiguration.EngineRunner engine;

  CampaignController(CampaignService service, DialerState state, DialerProperties properties,
                     DialerConfiguration.EngineRunner engine) {
    this.service = service;
    this.state = state;
    this.maxUploadBytes = properties.maxUploadSize().toBytes();
    this.engine = engine;
  }

  /** Until the state is restored, "exists already" and "no such campaign" cannot be told apart: answer nothing. */
  @org.springframework.web.bind.annotation.ModelAttribute
  void requireRestoredState() {
    if (!engine.ready()) {
      throw new NotReady();
    }
  }

  /** The dialer is still reading its state from Kafka. */
  static final class NotReady extends RuntimeException {
    NotReady() {
      super("the dialer is restoring its state from Kafka; try again in a few seconds");
    }
  }

  @ExceptionHandler(NotReady.class)
  ResponseEntity<Object> notReady(NotReady e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5")
        .body(error(503, e.getMessage()));
  }

  @PostMapping(path = "/campaigns", consumes = MediaType.APPLICATION_JSON_VALUE)
  Mono<ResponseEntity<Object>> create(@RequestBody CampaignService.CampaignRequest request) {
    return Mono.defer(() -> service.create(request))
        .map(c -> ResponseEntity.status(HttpStatus.CREATED).body((Object) CampaignJson.of(c)));
  }

  @GetMapping("/campaigns")
  List<Map<String, Object>> list() {
    return state.campaigns().stream().map(CampaignJson::of).toList();
  }

  @GetMapping("/campaigns/{id}")
  Map<String, Object> get(@PathVariable String id) {
    Map<String, Object> body = new LinkedHashMap<>(CampaignJson.of(state.campaign(id)
        .orElseThrow(() -> new CampaignService.NotFound(id))));
    body.put("progress", state.status(id).orElseThrow());
    return body;
  }

  @GetMapping("/campaigns/{id}/status")
  DialerState.Status status(@PathVariable String id) {
    return state.status(id).orElseThrow(() -> new CampaignService.NotFound(id));
  }

  @PostMapping("/campaigns/{id}/start")
  Mono<Map<String, Object>> start(@PathVariable String id) {
    return Mono.defer(() -> service.start(id)).map(CampaignJson::of);
  }

  @PostMapping("/campaigns/{id}/pause")
  Mono<Map<String, Object>> pause(@PathVariable String id) {
    return Mono.defer(() -> service.pause(id)).map(CampaignJson::of);
  }

  @PostMapping("/campaigns/{id}/resume")
  Mono<Map<String, Object>> resume(@PathVariable String id) {
    return Mono.defer(() -> service.resume(id)).map(CampaignJson::of);
  }

  @PostMapping("/campaigns/{id}/stop")
  Mono<Map<String, Object>> stop(@PathVariable String id) {
    return Mono.defer(() -> service.stop(id)).map(CampaignJson::of);
  }

  /** The lead list as {@code text/csv}; bigger than the limit is refused with 413 before it is parsed. */
  @PostMapping(path = "/campaigns/{id}/leads", consumes = {"text/csv", "application/csv"})
  Mono<ResponseEntity<Object>> upload(@PathVariable String id, ServerHttpRequest request) {
    long declared = request.getHeaders().getContentLength();
    if (declared > maxUploadBytes) {
      return DataBufferUtils.join(request.getBody(), (int) Math.min(Integer.MAX_VALUE, 2 * maxUploadBytes))
          .doOnNext(DataBufferUtils::release)
          .onErrorResume(e -> Mono.empty())
          .then(Mono.just(tooLarge()));
    }
    return DataBufferUtils.join(request.getBody(), (int) Math.min(Integer.MAX_VALUE, maxUploadBytes))
        .map(buffer -> {
          byte[] bytes = new byte[buffer.readableByteCount()];
          buffer.read(bytes);
          DataBufferUtils.release(buffer);
          return bytes;
        })
        .defaultIfEmpty(new byte[0])
        .flatMap(bytes -> service.upload(id, bytes))
        .map(report -> ResponseEntity.status(report.imported() == 0 && report.rejectedCount() > 0
            ? HttpStatus.UNPROCESSABLE_ENTITY : HttpStatus.OK).body((Object) report))
        .onErrorResume(DataBufferLimitException.class, e -> Mono.just(tooLarge()));
  }

  private ResponseEntity<Object> tooLarge() {
    return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
        .body(error(413, "the lead list is larger than " + maxUploadBytes + " bytes; split it into several uploads"));
  }

  /** Body {@code {"phoneNumbers": ["+14155550123", ...]}}. */
  record DoNotCallRequest(List<String> phoneNumbers) {
  }

  @PostMapping(path = "/do-not-call", consumes = MediaType.APPLICATION_JSON_VALUE)
  Mono<Map<String, Object>> addToDoNotCall(@RequestBody DoNotCallRequest request) {
    return Mono.defer(() -> service.addToDoNotCall(request.phoneNumbers()))
        .map(n -> Map.of("listed", n.size()));
  }

  @DeleteMapping("/do-not-call/{number}")
  Mono<Map<String, Object>> removeFromDoNotCall(@PathVariable String number) {
    return Mono.defer(() -> service.removeFromDoNotCall(number)).map(n -> Map.of("removed", n.size()));
  }

  @GetMapping("/do-not-call/{number}")
  Map<String, Object> onDoNotCallList(@PathVariable String number) {
    return Map.of("listed", service.onDoNotCallList(number));
  }

  @PutMapping("/do-not-call/{number}")
  Mono<Map<String, Object>> putOnDoNotCallList(@PathVariable String number) {
    return Mono.defer(() -> service.addToDoNotCall(List.of(number))).map(n -> Map.of("listed", n.size()));
  }

  @ExceptionHandler(CampaignService.Invalid.class)
  ResponseEntity<Object> invalid(CampaignService.Invalid e) {
    Map<String, Object> body = error(400, "the request is invalid");
    body.put("errors", e.errors());
    return ResponseEntity.badRequest().body(body);
  }

  @ExceptionHandler(CampaignService.NotFound.class)
  ResponseEntity<Object> notFound(CampaignService.NotFound e) {
    return ResponseEntity.status(HttpStatus.NOT_FOUND).body(error(404, e.getMessage()));
  }

  @ExceptionHandler(CampaignService.Conflict.class)
  ResponseEntity<Object> conflict(CampaignService.Conflict e) {
    return ResponseEntity.status(HttpStatus.CONFLICT).body(error(409, e.getMessage()));
  }

  @ExceptionHandler(LeadCsv.Refused.class)
  ResponseEntity<Object> refused(LeadCsv.Refused e) {
    HttpStatus status = e.tooLarge() ? HttpStatus.PAYLOAD_TOO_LARGE : HttpStatus.BAD_REQUEST;
    return ResponseEntity.status(status).body(error(status.value(), e.getMessage()));
  }

  @ExceptionHandler(ServerWebInputException.class)
  ResponseEntity<Object> unreadable(ServerWebInputException e) {
    return ResponseEntity.badRequest().body(error(400, "the body is not valid JSON for this request"));
  }

  private static Map<String, Object> error(int status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    body.put("message", message);
    return body;
  }
}
