package io.salesvoice.ingest.audio;

/** Audio this service cannot take: an unknown codec, a sample rate or a file format it does not convert. */
public class UnsupportedAudioException extends RuntimeException {

  public UnsupportedAudioException(String message) {
    super(message);
  }
}
