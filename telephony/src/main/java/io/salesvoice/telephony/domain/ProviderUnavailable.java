package io.salesvoice.telephony.domain;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The provider could not start the call now and its answer proves it started nothing: a rate-limit answer, a 5xx with
 * an error body, a connection that was never made. An {@link IOException} underneath on purpose: the platform's stage
 * retries the record with backoff instead of dead-lettering it.
 */
public class ProviderUnavailable extends UncheckedIOException {

  private final String code;

  public ProviderUnavailable(String code, String message, Throwable cause) {
    super(message, cause instanceof IOException io ? io : new IOException(message, cause));
    this.code = code;
  }

  /** RATE_LIMITED, HTTP_503, NETWORK, BULKHEAD_FULL or the provider's error code. */
  public String code() {
    return code;
  }
}
