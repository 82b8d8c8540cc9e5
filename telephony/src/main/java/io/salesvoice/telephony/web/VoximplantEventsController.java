package io.salesvoice.telephony.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.salesvoice.platform.kafka.OutboundRecord;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.logging.Redaction;
import io.salesvoice.platform.security.CallTokens;
import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.telephony.domain.CallOutcomes;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/voximplant/events}: the VoxEngine scenario reports a call that never reached the media stream (no
 * answer, busy, failed), and the dialer gets it as {@code CallEnded} on sva.calls. Calls that connected are ended by
 * ingest-audio. Each report is authorized by the call's own callback token ({@code Authorization: Bearer …}), minted
 * with {@code sva.telephony.callback-secret} when the call was placed: it is valid for that one call only, so neither
 * a secret nor a token of another call can report on it.
 */
@RestController
public class VoximplantEventsController {

  private static final Logger log = LoggerFactory.getLogger(VoximplantEventsController.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_DETAIL = 500;

  private final CallTokens callbackTokens;
  private final RecordSender sender;
  private final String callsTopic;
  private final Clock clock;
  private final MeterRegistry meters;

  public VoximplantEventsController(CallTokens callbackTokens, RecordSender sender, String callsTopic, Clock clock,
                                    MeterRegistry meters) {
    this.callbackTokens = callbackTokens;
    this.sender = sender;
    this.callsTopic = callsTopic;
    this.clock = clock;
    this.meters = meters;
  }

  @PostMapping(path = "/api/voximplant/events")
  public Mono<ResponseEntity<Map<String, Object>>> report(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @RequestBody(required = false) String body) {
    Optional<CallTokens.Grant> grant = bearer(authorization).flatMap(callbackTokens::verify);
    if (grant.isEmpty()) {
      count("unauthorized");
      return Mono.just(error(HttpStatus.UNAUTHORIZED,
          "a valid callback token is required (Authorization: Bearer <callbackToken from the scenario's custom data>)"));
    }
    JsonNode json;
    try {
      json = body == null || body.isBlank() ? null : JSON.readTree(body);
    } catch (IOException e) {
      count("bad_request");
      return Mono.just(error(HttpStatus.BAD_REQUEST, "the body is not JSON: " + e.getClass().getSimpleName()));
    }
    if (json == null || !json.isObject()) {
      count("bad_request");
      return Mono.just(error(HttpStatus.BAD_REQUEST, "the body must be a JSON object with callId and result"));
    }
    String callId = text(json, "callId");
    if (callId == null) {
      count("bad_request");
      return Mono.just(error(HttpStatus.BAD_REQUEST, "callId is missing"));
    }
    CallOutcomes.Result result;
    try {
      result = CallOutcomes.parse(text(json, "result"));
    } catch (IllegalArgumentException e) {
      count("bad_request");
      return Mono.just(error(HttpStatus.BAD_REQUEST, e.getMessage()));
    }
    if (!callId.equals(grant.get().callId())) {
      count("forbidden");
      return Mono.just(error(HttpStatus.FORBIDDEN, "the callback token is for another call"));
    }
    CallEndReason reason = CallOutcomes.reason(result);
    String detail = detail(json);
    CallEvent ended = CallOutcomes.ended(callId, text(json, "campaignId"), reason, detail, "scenario", clock);
    return sender.send(OutboundRecord.of(callsTopic, callId, ended), null)
        .map(metadata -> {
          count(reason.name().toLowerCase(java.util.Locale.ROOT));
          log.info("Call {} did not connect: {} ({})", callId, reason, detail);
          Map<String, Object> answer = new LinkedHashMap<>();
          answer.put("callId", callId);
          answer.put("reason", reason.name());
          return ResponseEntity.status(HttpStatus.ACCEPTED).body(answer);
        })
        .onErrorResume(e -> {
          log.warn("Call {}: the outcome could not be written to {}: {}", callId, callsTopic, e.toString());
          return Mono.just(error(HttpStatus.SERVICE_UNAVAILABLE, "the outcome could not be recorded; send it again"));
        });
  }

  /** The provider's code and reason (e.g. "486 Busy Here"), without phone numbers, bounded. */
  private static String detail(JsonNode json) {
    String code = text(json, "code");
    String reason = text(json, "reason");
    String detail = ((code == null ? "" : code + " ") + (reason == null ? "" : reason)).trim();
    detail = Redaction.maskPhonesIn(detail.isEmpty() ? "reported by the scenario" : "voximplant: " + detail);
    return detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail;
  }

  private static String text(JsonNode json, String field) {
    JsonNode n = json.get(field);
    if (n == null || n.isNull() || n.isContainerNode()) {
      return null;
    }
    String s = n.asText().trim();
    return s.isEmpty() ? null : s;
  }

  private static Optional<String> bearer(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    return Optional.of(authorization.substring(7).trim());
  }

  private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status.value());
    body.put("error", message);
    return ResponseEntity.status(status).body(body);
  }

  private void count(String outcome) {
    Counter.builder("sva.telephony.callbacks")
        .description("Outcome reports from the VoxEngine scenario, by result")
        .tag("outcome", outcome)
        .register(meters).increment();
  }
}
