package io.salesvoice.tts.audio;

/**
 * Streaming band-limited resampler for 16-bit mono PCM (windowed-sinc interpolation, any rate ratio): engines speak at
 * 22.05, 16 or 24 kHz while calls take 8 or 16 kHz, and a plain linear interpolator would alias the sibilants down into
 * the telephone band. Feed blocks with {@link #process}, then {@link #flush} once; not thread-safe, one per utterance.
 */
public final class Resampler {

  /** Zero crossings of the sinc on each side; more is sharper and slower. */
  private static final int ZERO_CROSSINGS = 12;
  /** Kernel table resolution per input sample; the kernel between table points is linearly interpolated. */
  private static final int TABLE_STEPS = 128;

  private final int inRate;
  private final int outRate;
  private final double step;
  private final double cutoff;
  private final int halfTaps;
  private final float[] table;

  private float[] buffer = new float[4096];
  private int bufferLength;
  /** Absolute index of the input sample in {@code buffer[0]}. */
  private long bufferStart;
  private long inputCount;
  private long outputIndex;
  private boolean flushed;

  public Resampler(int inRate, int outRate) {
    if (inRate <= 0 || outRate <= 0) {
      throw new IllegalArgumentException("sample rates must be positive: " + inRate + " -> " + outRate);
    }
    this.inRate = inRate;
    this.outRate = outRate;
    this.step = (double) inRate / outRate;
    // Pass band ends a little below the lower Nyquist frequency so the transition band does not fold back.
    this.cutoff = Math.min(1.0, (double) outRate / inRate) * 0.92;
    this.halfTaps = (int) Math.ceil(ZERO_CROSSINGS / cutoff);
    this.table = kernelTable(cutoff, halfTaps);
  }

  public int inRate() {
    return inRate;
  }

  public int outRate() {
    return outRate;
  }

  /** Resamples the next block; returns the output samples that are ready (the rest waits for more input). */
  public short[] process(short[] input) {
    if (flushed) {
      throw new IllegalStateException("the resampler was flushed");
    }
    if (inRate == outRate) {
      inputCount += input.length;
      return input.clone();
    }
    append(input, input.length);
    inputCount += input.length;
    return drain(false);
  }

  /** Emits the tail: the samples that waited for input beyond the end of the utterance. */
  public short[] flush() {
    if (flushed) {
      return new short[0];
    }
    flushed = true;
    if (inRate == outRate) {
      return new short[0];
    }
    return drain(true);
  }

  private short[] drain(boolean end) {
    long expectedTotal = end ? (long) Math.ceil(inputCount * (double) outRate / inRate) : Long.MAX_VALUE;
    long available = bufferStart + bufferLength;
    short[] out = new short[(int) Math.max(0, Math.ceil((available + halfTaps) / step) - outputIndex + 2)];
    int n = 0;
    while (outputIndex < expectedTotal) {
      double center = outputIndex * step;
      long base = (long) Math.floor(center);
      if (!end && base + halfTaps >= available) {
        break;
      }
      if (n == out.length) {
        out = java.util.Arrays.copyOf(out, out.length * 2 + 16);
      }
      out[n++] = clip(convolve(center, base));
      outputIndex++;
    }
    discardBefore((long) Math.floor(outputIndex * step) - halfTaps);
    return n == out.length ? out : java.util.Arrays.copyOf(out, n);
  }

  private double convolve(double center, long base) {
    double sum = 0;
    long from = base - halfTaps + 1;
    long to = base + halfTaps;
    for (long i = from; i <= to; i++) {
      long idx = i - bufferStart;
      if (idx < 0 || idx >= bufferLength) {
        continue;   // before the first or after the last sample: silence
      }
      sum += buffer[(int) idx] * kernel(Math.abs(center - i));
    }
    return sum;
  }

  private double kernel(double distance) {
    double pos = distance * TABLE_STEPS;
    int i = (int) pos;
    if (i + 1 >= table.length) {
      return 0;
    }
    double frac = pos - i;
    return table[i] + (table[i + 1] - table[i]) * frac;
  }

  private void append(short[] input, int length) {
    if (bufferLength + length > buffer.length) {
      buffer = java.util.Arrays.copyOf(buffer, Math.max(buffer.length * 2, bufferLength + length));
    }
    for (int i = 0; i < length; i++) {
      buffer[bufferLength + i] = input[i];
    }
    bufferLength += length;
  }

  private void discardBefore(long absoluteIndex) {
    int drop = (int) Math.min(bufferLength, Math.max(0, absoluteIndex - bufferStart));
    if (drop > 0) {
      System.arraycopy(buffer, drop, buffer, 0, bufferLength - drop);
      bufferLength -= drop;
      bufferStart += drop;
    }
  }

  private static short clip(double v) {
    long r = Math.round(v);
    return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, r));
  }

  /** The low-pass kernel {@code cutoff * sinc(cutoff * x)} under a Blackman window, sampled for x in [0, halfTaps]. */
  private static float[] kernelTable(double cutoff, int halfTaps) {
    float[] t = new float[halfTaps * TABLE_STEPS + 2];
    for (int i = 0; i < t.length; i++) {
      double x = (double) i / TABLE_STEPS;
      if (x > halfTaps) {
        t[i] = 0;
        continue;
      }
      double arg = Math.PI * cutoff * x;
      double sinc = x == 0 ? 1.0 : Math.sin(arg) / arg;
      double w = 0.42 + 0.5 * Math.cos(Math.PI * x / halfTaps) + 0.08 * Math.cos(2 * Math.PI * x / halfTaps);
      t[i] = (float) (cutoff * sinc * w);
    }
    return t;
  }
}
