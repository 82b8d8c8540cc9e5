package io.salesvoice.ingest.audio;

/**
 * ITU-T G.711 mu-law and A-law companding, the codecs of the telephone network, to and from 16-bit linear PCM
 * (little-endian, the byte order of {@code AudioChunk} PCM16).
 */
public final class G711 {

  private static final int MULAW_BIAS = 0x84;
  private static final int MULAW_CLIP = 8159;
  private static final short[] MULAW_TO_LINEAR = new short[256];
  private static final short[] ALAW_TO_LINEAR = new short[256];

  static {
    for (int i = 0; i < 256; i++) {
      MULAW_TO_LINEAR[i] = mulawToLinear((byte) i);
      ALAW_TO_LINEAR[i] = alawToLinear((byte) i);
    }
  }

  private G711() {
  }

  public static short mulawToLinear(byte encoded) {
    int u = ~encoded & 0xFF;
    int t = ((u & 0x0F) << 3) + MULAW_BIAS;
    t <<= (u & 0x70) >> 4;
    return (short) ((u & 0x80) != 0 ? MULAW_BIAS - t : t - MULAW_BIAS);
  }

  /** Sun's reference algorithm (as in CPython's audioop): 14-bit magnitude, floor shift before negation. */
  public static byte linearToMulaw(short sample) {
    int pcm = sample >> 2;
    int mask;
    if (pcm < 0) {
      pcm = -pcm;
      mask = 0x7F;
    } else {
      mask = 0xFF;
    }
    if (pcm > MULAW_CLIP) {
      pcm = MULAW_CLIP;
    }
    pcm += MULAW_BIAS >> 2;
    int segment = 0;
    for (int end = 0x3F; segment < 8 && pcm > end; end = (end << 1) | 1) {
      segment++;
    }
    if (segment >= 8) {
      return (byte) (0x7F ^ mask);
    }
    return (byte) (((segment << 4) | ((pcm >> (segment + 1)) & 0x0F)) ^ mask);
  }

  public static short alawToLinear(byte encoded) {
    int a = (encoded ^ 0x55) & 0xFF;
    int t = (a & 0x0F) << 4;
    int segment = (a & 0x70) >> 4;
    switch (segment) {
      case 0 -> t += 8;
      case 1 -> t += 0x108;
      default -> {
        t += 0x108;
        t <<= segment - 1;
      }
    }
    return (short) ((a & 0x80) != 0 ? t : -t);
  }

  public static byte linearToAlaw(short sample) {
    int pcm = sample;
    int mask;
    if (pcm >= 0) {
      mask = 0xD5;
    } else {
      mask = 0x55;
      pcm = -pcm - 1;
    }
    pcm >>= 3; // A-law works on 13-bit magnitudes
    int segment = 0;
    for (int end = 0x1F; segment < 8 && pcm > end; end = (end << 1) | 1) {
      segment++;
    }
    if (segment >= 8) {
      return (byte) (0x7F ^ mask);
    }
    int aval = segment << 4;
    aval |= segment < 2 ? (pcm >> 1) & 0x0F : (pcm >> segment) & 0x0F;
    return (byte) (aval ^ mask);
  }

  /** mu-law bytes → PCM16 little-endian bytes (twice as long). */
  public static byte[] mulawToPcm16(byte[] mulaw) {
    return expand(mulaw, MULAW_TO_LINEAR);
  }

  public static byte[] alawToPcm16(byte[] alaw) {
    return expand(alaw, ALAW_TO_LINEAR);
  }

  /** PCM16 little-endian bytes → mu-law bytes (half as long); a trailing odd byte is ignored. */
  public static byte[] pcm16ToMulaw(byte[] pcm) {
    byte[] out = new byte[pcm.length / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = linearToMulaw(Pcm16.sampleAt(pcm, i));
    }
    return out;
  }

  public static byte[] pcm16ToAlaw(byte[] pcm) {
    byte[] out = new byte[pcm.length / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = linearToAlaw(Pcm16.sampleAt(pcm, i));
    }
    return out;
  }

  private static byte[] expand(byte[] encoded, short[] table) {
    byte[] out = new byte[encoded.length * 2];
    for (int i = 0; i < encoded.length; i++) {
      short s = table[encoded[i] & 0xFF];
      out[2 * i] = (byte) s;
      out[2 * i + 1] = (byte) (s >> 8);
    }
    return out;
  }
}
