package io.salesvoice.tts.audio;

/** A block of 16-bit mono linear PCM as an engine produced it, at the engine's own rate. */
public record PcmBlock(int sampleRate, short[] samples) {

  /** Reads little-endian 16-bit samples; an odd trailing byte is the caller's to keep for the next block. */
  public static short[] littleEndian(byte[] bytes, int offset, int length) {
    short[] s = new short[length / 2];
    for (int i = 0; i < s.length; i++) {
      int p = offset + 2 * i;
      s[i] = (short) ((bytes[p] & 0xFF) | (bytes[p + 1] << 8));
    }
    return s;
  }

  public double durationMs() {
    return samples.length * 1000.0 / sampleRate;
  }
}
