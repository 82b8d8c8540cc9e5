package io.salesvoice.telephony.domain;

/**
 * The provider (or our own validation) refused the call for good: bad credentials, an unknown rule, an invalid number.
 * Trying again cannot help, so the request is dead-lettered and the dialer is told the call ended with an error.
 */
public class PlacementRejected extends RuntimeException {

  private final String code;

  public PlacementRejected(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  /** The provider's error code (Voximplant's numeric code, an HTTP status as HTTP_401) or ours (INVALID_NUMBER). */
  public String code() {
    return code;
  }
}
