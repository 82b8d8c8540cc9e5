package io.salesvoice.platform.stack;

/** Why the local Kafka broker or schema registry could not be started, said plainly. */
public final class LocalStackException extends RuntimeException {
  public LocalStackException(String message) {
    super(message);
  }

  public LocalStackException(String message, Throwable cause) {
    super(message, cause);
  }
}
