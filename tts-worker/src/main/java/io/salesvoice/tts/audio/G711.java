package io.salesvoice.tts.audio;

/** G.711 mu-law and A-law companding, the codecs of telephone calls (8-bit samples, 8 kHz). */
public final class G711 {

  private static final int BIAS = 0x84;
  private static final int CLIP = 32635;

  private G711() {
  }

  public static byte linearToMulaw(short sample) {
    int s = sample;
    int sign = (s >> 8) & 0x80;
    if (sign != 0) {
      s = -s;
    }
    if (s > CLIP) {
      s = CLIP;
    }
    s += BIAS;
    int exponent = 7;
    for (int mask = 0x4000; (s & mask) == 0 && exponent > 0; mask >>= 1) {
      exponent--;
    }
    int mantissa = (s >> (exponent + 3)) & 0x0F;
    return (byte) ~(sign | (exponent << 4) | mantissa);
  }

  public static short mulawToLinear(byte encoded) {
    int u = ~encoded & 0xFF;
    int sign = u & 0x80;
    int exponent = (u >> 4) & 0x07;
    int mantissa = u & 0x0F;
    int magnitude = ((mantissa << 3) + BIAS) << exponent;
    return (short) (sign != 0 ? BIAS - magnitude : magnitude - BIAS);
  }

  public static byte linearToAlaw(short sample) {
    int s = sample;
    int sign = s >= 0 ? 0x80 : 0x00;
    if (s < 0) {
      s = -s - 1;
    }
    if (s > 32767) {
      s = 32767;
    }
    int encoded;
    if (s < 256) {
      encoded = s >> 4;
    } else {
      int exponent = 7;
      for (int mask = 0x4000; (s & mask) == 0 && exponent > 1; mask >>= 1) {
        exponent--;
      }
      int mantissa = (s >> (exponent + 3)) & 0x0F;
      encoded = (exponent << 4) | mantissa;
    }
    return (byte) ((sign | encoded) ^ 0x55);
  }

  public static short alawToLinear(byte encoded) {
    int a = (encoded ^ 0x55) & 0xFF;
    int sign = a & 0x80;
    int exponent = (a >> 4) & 0x07;
    int mantissa = a & 0x0F;
    int magnitude;
    if (exponent == 0) {
      magnitude = (mantissa << 4) + 8;
    } else {
      magnitude = ((mantissa << 4) + 0x108) << (exponent - 1);
    }
    return (short) (sign != 0 ? magnitude : -magnitude);
  }
}
