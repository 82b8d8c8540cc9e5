package io.salesvoice.stt.audio;

/** Decodes telephony audio (G.711 mu-law and A-law, 16-bit little-endian PCM) to linear 16-bit samples. */
public final class Pcm {

  private static final short[] MULAW = new short[256];
  private static final short[] ALAW = new short[256];

  static {
    for (int i = 0; i < 256; i++) {
      MULAW[i] = decodeMulaw((byte) i);
      ALAW[i] = decodeAlaw((byte) i);
    }
  }

  private Pcm() {
  }

  /** Samples of {@code data}; a trailing odd byte of PCM16 is dropped. */
  public static short[] decode(Codec codec, byte[] data) {
    return switch (codec) {
      case PCM16 -> {
        short[] out = new short[data.length / 2];
        for (int i = 0; i < out.length; i++) {
          out[i] = (short) ((data[2 * i] & 0xff) | (data[2 * i + 1] << 8));
        }
        yield out;
      }
      case MULAW -> lookup(MULAW, data);
      case ALAW -> lookup(ALAW, data);
    };
  }

  /** Little-endian bytes of the samples, as engines and WAV files want them. */
  public static byte[] toLittleEndian(short[] samples) {
    byte[] out = new byte[samples.length * 2];
    for (int i = 0; i < samples.length; i++) {
      out[2 * i] = (byte) samples[i];
      out[2 * i + 1] = (byte) (samples[i] >> 8);
    }
    return out;
  }

  /** G.711 mu-law encoding of one sample (for tests and tools that produce telephony audio). */
  public static byte encodeMulaw(short sample) {
    final int bias = 0x84;
    final int clip = 32635;
    int s = sample;
    int sign = (s >> 8) & 0x80;
    if (sign != 0) {
      s = -s;
    }
    if (s > clip) {
      s = clip;
    }
    s += bias;
    int exponent = 7;
    for (int mask = 0x4000; (s & mask) == 0 && exponent > 0; mask >>= 1) {
      exponent--;
    }
    int mantissa = (s >> (exponent + 3)) & 0x0f;
    return (byte) ~(sign | (exponent << 4) | mantissa);
  }

  /** G.711 A-law encoding of one sample. */
  public static byte encodeAlaw(short sample) {
    int s = sample;
    int sign = (s & 0x8000) != 0 ? 0x00 : 0x80;
    if (sign == 0) {
      s = -s;
    }
    if (s > 32635) {
      s = 32635;
    }
    int encoded;
    if (s >= 256) {
      int exponent = 7;
      for (int mask = 0x4000; (s & mask) == 0 && exponent > 1; mask >>= 1) {
        exponent--;
      }
      int mantissa = (s >> (exponent + 3)) & 0x0f;
      encoded = (exponent << 4) | mantissa;
    } else {
      encoded = s >> 4;
    }
    return (byte) ((encoded | sign) ^ 0x55);
  }

  private static short[] lookup(short[] table, byte[] data) {
    short[] out = new short[data.length];
    for (int i = 0; i < data.length; i++) {
      out[i] = table[data[i] & 0xff];
    }
    return out;
  }

  private static short decodeMulaw(byte b) {
    int u = ~b & 0xff;
    int sign = u & 0x80;
    int exponent = (u >> 4) & 0x07;
    int mantissa = u & 0x0f;
    int magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
    return (short) (sign != 0 ? -magnitude : magnitude);
  }

  private static short decodeAlaw(byte b) {
    int a = (b & 0xff) ^ 0x55;
    int sign = a & 0x80;
    int exponent = (a >> 4) & 0x07;
    int mantissa = a & 0x0f;
    int magnitude = exponent == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
    return (short) (sign != 0 ? magnitude : -magnitude);
  }
}
