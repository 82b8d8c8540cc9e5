package io.salesvoice.ingest.audio;

/** Helpers for signed 16-bit little-endian PCM held in byte arrays, the pipeline's linear audio format. */
public final class Pcm16 {

  private Pcm16() {
  }

  public static short sampleAt(byte[] pcm, int index) {
    return (short) ((pcm[2 * index] & 0xFF) | (pcm[2 * index + 1] << 8));
  }

  public static void put(byte[] pcm, int index, int sample) {
    int s = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, sample));
    pcm[2 * index] = (byte) s;
    pcm[2 * index + 1] = (byte) (s >> 8);
  }

  public static short[] toShorts(byte[] pcm) {
    short[] out = new short[pcm.length / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = sampleAt(pcm, i);
    }
    return out;
  }

  public static byte[] toBytes(short[] samples) {
    byte[] out = new byte[samples.length * 2];
    for (int i = 0; i < samples.length; i++) {
      put(out, i, samples[i]);
    }
    return out;
  }

  /** Root-mean-square level in dBFS (0 = full scale square wave, -inf for digital silence, floored at -120). */
  public static double rmsDbfs(byte[] pcm) {
    int n = pcm.length / 2;
    if (n == 0) {
      return -120;
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double s = sampleAt(pcm, i);
      sum += s * s;
    }
    double rms = Math.sqrt(sum / n) / 32768.0;
    return rms <= 1e-6 ? -120 : Math.max(-120, 20 * Math.log10(rms));
  }
}
