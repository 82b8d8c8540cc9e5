package io.salesvoice.ingest.media;

/** A frame to send to the provider: text (JSON) or binary. */
public record OutFrame(String text, byte[] binary) {

  public static OutFrame text(String text) {
    return new OutFrame(text, null);
  }

  public static OutFrame binary(byte[] bytes) {
    return new OutFrame(null, bytes);
  }

  public boolean isBinary() {
    return binary != null;
  }
}
