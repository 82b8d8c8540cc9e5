package io.salesvoice.ingest.audio;

/** Audio in a format we support that is damaged: truncated, inconsistent headers, frames of the wrong size. */
public class MalformedAudioException extends RuntimeException {

  public MalformedAudioException(String message) {
    super(message);
  }
}
