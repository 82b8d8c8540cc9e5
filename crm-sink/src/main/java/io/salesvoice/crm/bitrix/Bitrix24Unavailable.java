package io.salesvoice.crm.bitrix;

import java.io.IOException;
import java.time.Duration;

/**
 * Bitrix24 could not take a request now (limits, 5xx, network, open circuit), and the same request may succeed
 * later. An {@link IOException} on purpose: the platform's stage retries such failures with backoff instead of
 * dead-lettering the command, so the command waits in Kafka.
 */
public class Bitrix24Unavailable extends IOException {

  private final String code;
  private final Duration retryAfter;

  public Bitrix24Unavailable(String code, String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.retryAfter = retryAfter == null ? Duration.ZERO : retryAfter;
  }

  /** Bitrix24's error code (QUERY_LIMIT_EXCEEDED, OPERATION_TIME_LIMIT, OVERLOAD_LIMIT) or HTTP_5xx, NETWORK, ... */
  public String code() {
    return code;
  }

  /** How long the portal said (or we know) the request cannot succeed; zero when unknown. */
  public Duration retryAfter() {
    return retryAfter;
  }

  /**
   * True when the request may have reached Bitrix24 and been applied (no answer, a 5xx from a proxy, a broken
   * answer): such a request is not simply sent again, because a write such as crm.lead.add is not idempotent. The
   * command is retried instead, and its ledger entry tells the mapping to look the write up first.
   */
  public boolean maybeApplied() {
    if (code.equals("NETWORK")) {
      for (Throwable c = getCause(); c != null; c = c.getCause()) {
        if (c instanceof java.net.ConnectException) {
          return false;   // never connected: nothing was sent
        }
      }
      return true;
    }
    return code.equals("TIMEOUT") || code.startsWith("HTTP_5") || code.equals("BAD_RESPONSE")
        || code.equals("INTERNAL_SERVER_ERROR");
  }

  /** True for failures that say the portal is down, which count against the circuit breaker; limits do not. */
  public boolean isOutage() {
    return code.startsWith("HTTP_5") || code.startsWith("AUTH:") || code.equals("OVERLOAD_LIMIT") || code.equals("NETWORK") || code.equals("TIMEOUT")
        || code.equals("INTERNAL_SERVER_ERROR") || code.equals("BAD_RESPONSE");
  }
}
