package io.salesvoice.crm.domain;

/**
 * A command that can never be applied (invalid phone, unknown call, Bitrix24 refused it): it is answered REJECTED and
 * dead-lettered with this code and reason instead of being retried.
 */
public class CommandRejected extends RuntimeException {

  private final String code;

  public CommandRejected(String code, String reason, Throwable cause) {
    super(code + ": " + reason, cause);
    this.code = code;
  }

  public CommandRejected(String code, String reason) {
    this(code, reason, null);
  }

  /** Bitrix24's error code (ACCESS_DENIED, ERROR_METHOD_NOT_FOUND, ...) or the sink's own (INVALID_PHONE, ...). */
  public String code() {
    return code;
  }
}
