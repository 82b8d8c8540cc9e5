package io.salesvoice.ingest.media;

/**
 * A frame or handshake the protocol refuses; closes the connection with {@code closeCode} and a reason the client
 * can read, is counted under {@code metricReason}, and ends the call with the audio received so far published.
 */
public final class MediaProtocolException extends RuntimeException {

  /** RFC 6455 close codes used here, plus 4000-range codes of our own. */
  public static final int UNSUPPORTED_DATA = 1003;
  public static final int INVALID_PAYLOAD = 1007;
  public static final int POLICY_VIOLATION = 1008;
  public static final int TOO_BIG = 1009;
  public static final int INTERNAL_ERROR = 1011;
  public static final int TRY_AGAIN_LATER = 1013;
  public static final int UNAUTHORIZED = 4401;
  public static final int CONFLICT = 4409;
  public static final int IDLE_TIMEOUT = 4408;

  private final int closeCode;
  private final String metricReason;

  public MediaProtocolException(int closeCode, String metricReason, String message) {
    super(message);
    this.closeCode = closeCode;
    this.metricReason = metricReason;
  }

  public int closeCode() {
    return closeCode;
  }

  public String metricReason() {
    return metricReason;
  }

  public static MediaProtocolException malformed(String message) {
    return new MediaProtocolException(INVALID_PAYLOAD, "malformed_frame", message);
  }

  public static MediaProtocolException unsupported(String reason, String message) {
    return new MediaProtocolException(UNSUPPORTED_DATA, reason, message);
  }
}
