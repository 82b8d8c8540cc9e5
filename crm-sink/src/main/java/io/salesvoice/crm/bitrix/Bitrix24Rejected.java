package io.salesvoice.crm.bitrix;

/**
 * Bitrix24 refused a request for a reason that will not change by retrying (invalid field, access denied, unknown
 * method): the command is rejected and dead-lettered with the portal's error code and description.
 */
public class Bitrix24Rejected extends RuntimeException {

  private final String method;
  private final String code;
  private final String description;
  private final int httpStatus;

  public Bitrix24Rejected(String method, int httpStatus, String code, String description) {
    super(method + " refused" + (httpStatus > 0 ? " (HTTP " + httpStatus + ")" : "") + ": "
        + (code == null || code.isEmpty() ? "" : code + " ") + "- " + description);
    this.method = method;
    this.code = code;
    this.description = description;
    this.httpStatus = httpStatus;
  }

  public String method() {
    return method;
  }

  public String code() {
    return code;
  }

  public String description() {
    return description;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
