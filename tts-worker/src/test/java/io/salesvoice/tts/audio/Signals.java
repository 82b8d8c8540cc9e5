package io.salesvoice.tts.audio;

/** Test signals and measurements. */
public final class Signals {

  private Signals() {
  }

  public static short[] sine(double hz, int rate, int samples, int amplitude) {
    short[] s = new short[samples];
    for (int i = 0; i < samples; i++) {
      s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / rate));
    }
    return s;
  }

  public static double rms(short[] s) {
    double sum = 0;
    for (short v : s) {
      sum += (double) v * v;
    }
    return s.length == 0 ? 0 : Math.sqrt(sum / s.length);
  }

  /** Frequency estimated from the rate of upward zero crossings: good enough for a single tone. */
  public static double dominantFrequency(short[] s, int rate) {
    int crossings = 0;
    int first = -1;
    int last = -1;
    for (int i = 1; i < s.length; i++) {
      if (s[i - 1] < 0 && s[i] >= 0) {
        if (first < 0) {
          first = i;
        }
        last = i;
        crossings++;
      }
    }
    return crossings < 2 ? 0 : (crossings - 1) * (double) rate / (last - first);
  }

  /** Fraction of 20 ms windows whose RMS is above {@code threshold}: how much of the audio is voiced. */
  public static double voicedFraction(short[] s, int rate, double threshold) {
    int window = rate / 50;
    int voiced = 0;
    int windows = 0;
    for (int i = 0; i + window <= s.length; i += window) {
      windows++;
      if (rms(java.util.Arrays.copyOfRange(s, i, i + window)) > threshold) {
        voiced++;
      }
    }
    return windows == 0 ? 0 : (double) voiced / windows;
  }
}
