package io.salesvoice.simulators.carrier;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a telephone line carries, for the simulated carrier: WAV (16-bit PCM, any rate, mono or stereo) to 8 kHz G.711
 * mu-law, cut into the 20 ms frames of Twilio Media Streams, plus silence and the beep of an answering machine. Plain
 * Java: a worker's codecs live in its own module, and a simulator depends on no worker.
 */
public final class TelephoneAudio {

  public static final int SAMPLE_RATE = 8000;
  public static final int FRAME_MS = 20;
  /** One 20 ms frame of 8 kHz mu-law: 160 samples of one byte. */
  public static final int FRAME_BYTES = SAMPLE_RATE * FRAME_MS / 1000;
  /** Mu-law of a zero sample. */
  public static final byte MULAW_SILENCE = (byte) 0xFF;

  private TelephoneAudio() {
  }

  /** A WAV file as 8 kHz mu-law; refuses what it cannot read with a message that says why. */
  public static byte[] wavToMulaw8k(byte[] wav) {
    return pcmToMulaw(resample(wavToMonoPcm(wav), wavSampleRate(wav), SAMPLE_RATE));
  }

  /** The sample rate a WAV header declares. */
  public static int wavSampleRate(byte[] wav) {
    return fmt(wav).sampleRate;
  }

  /** The samples of a 16-bit PCM WAV, mixed down to mono; a streamed WAV (espeak-ng's --stdout) is read to its end. */
  public static short[] wavToMonoPcm(byte[] wav) {
    Format f = fmt(wav);
    int dataAt = f.dataOffset;
    int length = Math.min(f.dataLength, wav.length - dataAt);
    int frameBytes = 2 * f.channels;
    int frames = length / frameBytes;
    ByteBuffer b = ByteBuffer.wrap(wav, dataAt, frames * frameBytes).order(ByteOrder.LITTLE_ENDIAN);
    short[] out = new short[frames];
    for (int i = 0; i < frames; i++) {
      int sum = 0;
      for (int c = 0; c < f.channels; c++) {
        sum += b.getShort();
      }
      out[i] = (short) (sum / f.channels);
    }
    return out;
  }

  private record Format(int channels, int sampleRate, int dataOffset, int dataLength) {
  }

  private static Format fmt(byte[] wav) {
    if (wav == null || wav.length < 12 || !"RIFF".equals(ascii(wav, 0)) || !"WAVE".equals(ascii(wav, 8))) {
      throw new IllegalArgumentException("not a WAV file (no RIFF/WAVE header)");
    }
    ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    int at = 12;
    Integer channels = null;
    Integer rate = null;
    while (at + 8 <= wav.length) {
      String id = ascii(wav, at);
      int size = b.getInt(at + 4);
      int body = at + 8;
      if ("fmt ".equals(id)) {
        if (size < 16 || body + 16 > wav.length) {
          throw new IllegalArgumentException("truncated WAV fmt chunk");
        }
        int format = b.getShort(body) & 0xFFFF;
        int bits = b.getShort(body + 14);
        if ((format != 1 && format != 0xFFFE) || bits != 16) {
          throw new IllegalArgumentException("only 16-bit PCM WAV is supported (format " + format + ", " + bits
              + " bits)");
        }
        channels = (int) b.getShort(body + 2);
        rate = b.getInt(body + 4);
        if (channels < 1 || channels > 2 || rate < 4000 || rate > 192_000) {
          throw new IllegalArgumentException("unsupported WAV: " + channels + " channels at " + rate + " Hz");
        }
      } else if ("data".equals(id)) {
        if (channels == null) {
          throw new IllegalArgumentException("WAV data before its fmt chunk");
        }
        // streamed WAVs declare a placeholder size (0 or 0x7ffff000): the data runs to the end of the file
        int length = size <= 0 || size > wav.length - body ? wav.length - body : size;
        return new Format(channels, rate, body, length);
      }
      if (size < 0 || size > wav.length - body) {
        break;
      }
      at = body + size + (size & 1);
    }
    throw new IllegalArgumentException("truncated WAV: no data chunk");
  }

  private static String ascii(byte[] b, int at) {
    return new String(b, at, 4, java.nio.charset.StandardCharsets.US_ASCII);
  }

  /**
   * Changes the sample rate of a whole recording: a windowed-sinc low-pass below the new Nyquist frequency when the
   * rate goes down (so espeak-ng's 22.05 kHz does not alias into the telephone band), then linear interpolation.
   */
  public static short[] resample(short[] in, int fromRate, int toRate) {
    if (fromRate == toRate || in.length == 0) {
      return in.clone();
    }
    double[] x = new double[in.length];
    for (int i = 0; i < in.length; i++) {
      x[i] = in[i];
    }
    if (toRate < fromRate) {
      x = lowPass(x, 0.45 * toRate / fromRate);
    }
    int outLength = (int) ((long) in.length * toRate / fromRate);
    short[] out = new short[outLength];
    double step = (double) fromRate / toRate;
    for (int i = 0; i < outLength; i++) {
      double pos = i * step;
      int j = (int) pos;
      double frac = pos - j;
      double a = x[j];
      double b = j + 1 < x.length ? x[j + 1] : a;
      out[i] = clip(a + (b - a) * frac);
    }
    return out;
  }

  /** cutoff as a fraction of the sample rate; 63 taps with a Blackman window. */
  private static double[] lowPass(double[] x, double cutoff) {
    int taps = 63;
    int half = taps / 2;
    double[] h = new double[taps];
    double sum = 0;
    for (int n = 0; n < taps; n++) {
      int m = n - half;
      double sinc = m == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * m) / (Math.PI * m);
      double w = 0.42 - 0.5 * Math.cos(2 * Math.PI * n / (taps - 1)) + 0.08 * Math.cos(4 * Math.PI * n / (taps - 1));
      h[n] = sinc * w;
      sum += h[n];
    }
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double acc = 0;
      for (int n = 0; n < taps; n++) {
        int k = i + n - half;
        if (k >= 0 && k < x.length) {
          acc += h[n] * x[k];
        }
      }
      y[i] = acc / sum;
    }
    return y;
  }

  private static short clip(double v) {
    return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
  }

  public static byte[] pcmToMulaw(short[] pcm) {
    byte[] out = new byte[pcm.length];
    for (int i = 0; i < pcm.length; i++) {
      out[i] = linearToMulaw(pcm[i]);
    }
    return out;
  }

  /** G.711 mu-law encoding of one 16-bit sample (bias 0x84, clip at 32635), as ITU-T G.711 and CPython's audioop. */
  public static byte linearToMulaw(short sample) {
    int s = sample;
    int sign = (s >> 8) & 0x80;
    if (sign != 0) {
      s = -s;
    }
    if (s > 32635) {
      s = 32635;
    }
    s += 0x84;
    int exponent = 7;
    for (int mask = 0x4000; (s & mask) == 0 && exponent > 0; mask >>= 1) {
      exponent--;
    }
    int mantissa = (s >> (exponent + 3)) & 0x0F;
    return (byte) ~(sign | (exponent << 4) | mantissa);
  }

  /** G.711 mu-law decoding of one byte. */
  public static short mulawToLinear(byte mulaw) {
    int u = ~mulaw & 0xFF;
    int t = ((u & 0x0F) << 3) + 0x84;
    t <<= (u & 0x70) >> 4;
    return (short) ((u & 0x80) != 0 ? 0x84 - t : t - 0x84);
  }

  /** Cuts mu-law audio into 20 ms frames; the last frame is padded with silence. */
  public static List<byte[]> frames(byte[] mulaw) {
    List<byte[]> out = new ArrayList<>((mulaw.length + FRAME_BYTES - 1) / FRAME_BYTES);
    for (int at = 0; at < mulaw.length; at += FRAME_BYTES) {
      byte[] frame = new byte[FRAME_BYTES];
      Arrays.fill(frame, MULAW_SILENCE);
      System.arraycopy(mulaw, at, frame, 0, Math.min(FRAME_BYTES, mulaw.length - at));
      out.add(frame);
    }
    return out;
  }

  /** One frame of line silence. */
  public static byte[] silenceFrame() {
    byte[] frame = new byte[FRAME_BYTES];
    Arrays.fill(frame, MULAW_SILENCE);
    return frame;
  }

  /** An answering machine's beep: a 1 kHz tone. */
  public static byte[] beep(int millis) {
    short[] pcm = new short[SAMPLE_RATE * millis / 1000];
    for (int i = 0; i < pcm.length; i++) {
      pcm[i] = (short) (0.4 * Short.MAX_VALUE * Math.sin(2 * Math.PI * 1000 * i / SAMPLE_RATE));
    }
    return pcmToMulaw(pcm);
  }

  /** Level of mu-law audio in dBFS (RMS), for tests and logs; -infinity for digital silence. */
  public static double levelDbfs(byte[] mulaw) {
    double sum = 0;
    for (byte b : mulaw) {
      double s = mulawToLinear(b) / 32768.0;
      sum += s * s;
    }
    return 10 * Math.log10(sum / Math.max(1, mulaw.length));
  }
}
