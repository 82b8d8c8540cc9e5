package io.salesvoice.platform.serde;

import java.io.IOException;

/**
 * An answer of the schema registry that is not a success, with the Confluent {@code error_code}
 * (40401 subject not found, 40403 schema not found, 409 incompatible, 42201 invalid schema, …).
 * Failures worth retrying (unreachable registry, 5xx, 429) carry an {@link IOException} cause.
 */
public class SchemaRegistryException extends RuntimeException {

  public static final int SUBJECT_NOT_FOUND = 40401;
  public static final int SCHEMA_NOT_FOUND = 40403;

  private final int status;
  private final int errorCode;

  public SchemaRegistryException(String message, int status, int errorCode, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errorCode = errorCode;
  }

  /** The HTTP status, or 0 when the registry could not be reached. */
  public int status() {
    return status;
  }

  /** Confluent's {@code error_code} from the answer body, or the HTTP status when the body had none. */
  public int errorCode() {
    return errorCode;
  }

  /** True when trying again later may succeed: the registry was unreachable or overloaded. */
  public boolean retriable() {
    return getCause() instanceof IOException;
  }
}
