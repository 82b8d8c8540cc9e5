package io.salesvoice.stt.audio;

/**
 * Streaming sample-rate converter for one audio stream (e.g. 8 kHz telephony to the 16 kHz the English models want).
 * Windowed-sinc interpolation with a low-pass at the lower Nyquist frequency; it keeps the tail of the previous chunk,
 * so chunk boundaries leave no clicks. One instance per stream; not thread-safe.
 */
public final class Resampler {

  private static final int HALF_TAPS = 16;

  private final int inRate;
  private final int outRate;
  private final double cutoff;
  private final double[] history = new double[2 * HALF_TAPS + 2];
  private int historyFill;
  /** Position of the next output sample, in input samples, relative to the start of {@link #history}. */
  private double position = HALF_TAPS;
  private final double step;
  private boolean primed;

  public Resampler(int inRate, int outRate) {
    if (inRate <= 0 || outRate <= 0) {
      throw new IllegalArgumentException("sample rates must be positive: " + inRate + " -> " + outRate);
    }
    this.inRate = inRate;
    this.outRate = outRate;
    this.step = (double) inRate / outRate;
    this.cutoff = Math.min(1.0, (double) outRate / inRate) * 0.95;
  }

  public int inRate() {
    return inRate;
  }

  public int outRate() {
    return outRate;
  }

  /**
   * Converts the next chunk of the stream. Output lags the input by {@value #HALF_TAPS} input samples (the filter's
   * look-ahead); {@link #flush()} returns the rest at the end of the stream.
   */
  public short[] process(short[] in) {
    if (inRate == outRate) {
      return in.clone();
    }
    double[] buf = new double[historyFill + in.length + (primed ? 0 : HALF_TAPS)];
    int n = 0;
    if (!primed) {
      n = HALF_TAPS;   // leading zeros stand for the silence before the stream started
      primed = true;
    }
    System.arraycopy(history, 0, buf, n, historyFill);
    n += historyFill;
    for (short s : in) {
      buf[n++] = s;
    }
    return run(buf, n);
  }

  /** The last samples still held back by the filter, as if the stream continued with silence. */
  public short[] flush() {
    if (inRate == outRate) {
      return new short[0];
    }
    return process(new short[HALF_TAPS]);
  }

  private short[] run(double[] buf, int n) {
    int capacity = (int) Math.ceil((n - HALF_TAPS - position) / step) + 1;
    short[] out = new short[Math.max(0, capacity)];
    int produced = 0;
    while (position + HALF_TAPS < n) {
      out[produced++] = clip(interpolate(buf, position));
      position += step;
    }
    // keep the samples the next outputs still need
    int keepFrom = Math.max(0, (int) Math.floor(position) - HALF_TAPS);
    historyFill = n - keepFrom;
    System.arraycopy(buf, keepFrom, history, 0, historyFill);
    position -= keepFrom;
    if (produced == out.length) {
      return out;
    }
    short[] trimmed = new short[produced];
    System.arraycopy(out, 0, trimmed, 0, produced);
    return trimmed;
  }

  private double interpolate(double[] buf, double t) {
    int center = (int) Math.floor(t);
    double sum = 0;
    double weights = 0;
    for (int i = center - HALF_TAPS + 1; i <= center + HALF_TAPS; i++) {
      double x = t - i;
      double w = sinc(x * cutoff) * cutoff * blackman(x / (HALF_TAPS + 1));
      sum += buf[i] * w;
      weights += w;
    }
    // dividing by the weights' sum gives unity gain at DC whatever the fractional position
    return weights == 0 ? 0 : sum / weights;
  }

  private static double sinc(double x) {
    if (Math.abs(x) < 1e-9) {
      return 1;
    }
    return Math.sin(Math.PI * x) / (Math.PI * x);
  }

  private static double blackman(double x) {
    if (Math.abs(x) >= 1) {
      return 0;
    }
    return 0.42 + 0.5 * Math.cos(Math.PI * x) + 0.08 * Math.cos(2 * Math.PI * x);
  }

  private static short clip(double v) {
    long r = Math.round(v);
    return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, r));
  }
}
