package io.salesvoice.dialog.script;

/** A script file that cannot be used: the message names the file and what is wrong. */
public final class ScriptException extends RuntimeException {
  public ScriptException(String message) {
    super(message);
  }

  public ScriptException(String message, Throwable cause) {
    super(message, cause);
  }
}
