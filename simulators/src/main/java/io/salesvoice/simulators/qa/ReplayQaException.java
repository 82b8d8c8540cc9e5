package io.salesvoice.simulators.qa;

/**
 * Why a replay QA run (or one of its recordings) could not go on, worded for the person who ran it. Fatal ones (the
 * pipeline unreachable, the API key refused) stop the run; the others fail one recording and the run goes on.
 */
public final class ReplayQaException extends Exception {

  private final boolean fatal;

  public ReplayQaException(String message, boolean fatal) {
    super(message);
    this.fatal = fatal;
  }

  public boolean fatal() {
    return fatal;
  }
}
