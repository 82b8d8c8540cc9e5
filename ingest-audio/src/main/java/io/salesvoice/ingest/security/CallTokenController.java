package io.salesvoice.ingest.security;

import io.salesvoice.platform.security.CallTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/call-tokens} (API key) issues a media token for one call, for dialers and test clients that do not
 * sign tokens themselves.
 */
@RestController
public class CallTokenController {

  private static final Duration MAX_TTL = Duration.ofHours(24);

  private final CallTokens tokens;

  public CallTokenController(CallTokens tokens) {
    this.tokens = tokens;
  }

  /** A request for a token: the call it opens, and for how long (default 10 minutes). */
  public record TokenRequest(String callId, Long ttlSeconds) {
  }

  @PostMapping("/api/call-tokens")
  public ResponseEntity<Map<String, Object>> issue(@RequestBody TokenRequest request) {
    Duration ttl = Duration.ofSeconds(request.ttlSeconds() == null ? 600 : request.ttlSeconds());
    if (request.callId() == null || request.callId().isBlank() || request.callId().contains("|")
        || ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
      return ResponseEntity.badRequest().body(Map.of("status", 400, "message",
          "callId (without '|') and ttlSeconds between 1 and 86400 are required"));
    }
    return ResponseEntity.ok(Map.of("callId", request.callId(), "token", tokens.issue(request.callId(), ttl),
        "expiresAt", Instant.now().plus(ttl).toString()));
  }
}
