package io.salesvoice.ingest.audio;

/** Synthetic signals for tests: sines and silence as PCM16 little-endian bytes. */
public final class TestAudio {

  private TestAudio() {
  }

  public static short[] sine(double hz, int sampleRate, int ms, double amplitude) {
    int n = sampleRate * ms / 1000;
    short[] out = new short[n];
    for (int i = 0; i < n; i++) {
      out[i] = (short) Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * hz * i / sampleRate));
    }
    return out;
  }

  public static byte[] sineBytes(double hz, int sampleRate, int ms, double amplitude) {
    return Pcm16.toBytes(sine(hz, sampleRate, ms, amplitude));
  }

  /** Signal-to-noise ratio of {@code actual} against {@code expected}, in dB. */
  public static double snrDb(short[] expected, short[] actual) {
    double signal = 0;
    double noise = 0;
    for (int i = 0; i < Math.min(expected.length, actual.length); i++) {
      signal += (double) expected[i] * expected[i];
      double d = expected[i] - actual[i];
      noise += d * d;
    }
    return 10 * Math.log10(signal / Math.max(noise, 1e-9));
  }
}
