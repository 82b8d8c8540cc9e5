package io.salesvoice.ingest.audio;

/**
 * Changes the sample rate of a PCM16 stream between 8 and 16 kHz, frame by frame, without a click at frame borders:
 * upsampling interpolates against the last sample of the previous frame, downsampling low-passes by averaging pairs
 * and carries an odd sample over. One instance per stream and direction; not thread-safe.
 */
public final class Resampler {

  private final int from;
  private final int to;
  private short previous;
  private boolean hasPrevious;
  private short carried;
  private boolean hasCarried;

  public Resampler(int from, int to) {
    boolean supported = from == to || (from == 8000 && to == 16000) || (from == 16000 && to == 8000);
    if (!supported) {
      throw new UnsupportedAudioException("cannot resample " + from + " Hz to " + to + " Hz");
    }
    this.from = from;
    this.to = to;
  }

  /** Resamples one frame of PCM16 little-endian bytes. */
  public byte[] process(byte[] pcm) {
    if (from == to) {
      return pcm;
    }
    return from < to ? up(pcm) : down(pcm);
  }

  private byte[] up(byte[] pcm) {
    int n = pcm.length / 2;
    byte[] out = new byte[n * 4];
    for (int i = 0; i < n; i++) {
      short s = Pcm16.sampleAt(pcm, i);
      short before = hasPrevious ? previous : s;
      Pcm16.put(out, 2 * i, (before + s) / 2);
      Pcm16.put(out, 2 * i + 1, s);
      previous = s;
      hasPrevious = true;
    }
    return out;
  }

  private byte[] down(byte[] pcm) {
    int n = pcm.length / 2;
    int total = n + (hasCarried ? 1 : 0);
    byte[] out = new byte[(total / 2) * 2];
    int o = 0;
    int i = 0;
    if (hasCarried && n > 0) {
      Pcm16.put(out, o++, (carried + Pcm16.sampleAt(pcm, 0)) / 2);
      i = 1;
      hasCarried = false;
    }
    for (; i + 1 < n; i += 2) {
      Pcm16.put(out, o++, (Pcm16.sampleAt(pcm, i) + Pcm16.sampleAt(pcm, i + 1)) / 2);
    }
    if (i < n) {
      carried = Pcm16.sampleAt(pcm, i);
      hasCarried = true;
    }
    return out;
  }

  /**
   * Resamples a whole recording from any rate to {@code to} (e.g. a 44.1 kHz WAV for replay): linear interpolation,
   * with a box filter over the input span of each output sample when the rate goes down, against aliasing.
   */
  public static short[] resampleWhole(short[] in, int from, int to) {
    if (from == to || in.length == 0) {
      return in;
    }
    double step = (double) from / to;
    int outLength = (int) ((long) in.length * to / from);
    short[] out = new short[outLength];
    for (int n = 0; n < outLength; n++) {
      double pos = n * step;
      if (step > 1) {
        int start = (int) Math.floor(pos);
        int end = Math.min(in.length, (int) Math.floor(pos + step));
        long sum = 0;
        for (int k = start; k < end; k++) {
          sum += in[k];
        }
        out[n] = (short) (end > start ? sum / (end - start) : in[Math.min(start, in.length - 1)]);
      } else {
        int i = (int) pos;
        double frac = pos - i;
        short a = in[i];
        short b = in[Math.min(i + 1, in.length - 1)];
        out[n] = (short) Math.round(a + (b - a) * frac);
      }
    }
    return out;
  }
}
