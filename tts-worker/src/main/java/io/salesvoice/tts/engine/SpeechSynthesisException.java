package io.salesvoice.tts.engine;

/** An engine could not speak a text (bad voice, crashed process, refused request): retrying the same turn will not help. */
public class SpeechSynthesisException extends RuntimeException {

  public SpeechSynthesisException(String message) {
    super(message);
  }

  public SpeechSynthesisException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * A local engine's I/O failure (a process pipe broke): kept as a suppressed exception, not as the cause, because an
   * {@link java.io.IOException} in the cause chain tells the stage "outage, retry forever".
   */
  public static SpeechSynthesisException localFailure(String message, java.io.IOException failure) {
    SpeechSynthesisException e = new SpeechSynthesisException(message + ": " + failure.getMessage());
    e.addSuppressed(failure);
    return e;
  }
}
