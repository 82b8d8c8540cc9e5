package io.salesvoice.tts.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class G711Test {

  @Test
  void silenceEncodesToTheCodecsSilenceByte() {
    assertThat(G711.linearToMulaw((short) 0)).isEqualTo((byte) 0xFF);
    assertThat(G711.linearToAlaw((short) 0)).isEqualTo((byte) 0xD5);
  }

  @Test
  void knownReferenceValues() {
    // ITU-T G.711 reference points: full-scale positive/negative.
    assertThat(G711.linearToMulaw(Short.MAX_VALUE)).isEqualTo((byte) 0x80);
    assertThat(G711.linearToMulaw(Short.MIN_VALUE)).isEqualTo((byte) 0x00);
    assertThat(G711.linearToAlaw(Short.MAX_VALUE)).isEqualTo((byte) 0xAA);
    assertThat(G711.linearToAlaw(Short.MIN_VALUE)).isEqualTo((byte) 0x2A);
  }

  @Test
  void roundTripErrorStaysWithinTheSegmentStep() {
    for (int v = -32768; v <= 32767; v += 7) {
      short s = (short) v;
      int mu = G711.mulawToLinear(G711.linearToMulaw(s));
      int a = G711.alawToLinear(G711.linearToAlaw(s));
      // Logarithmic quantisation: the error grows with the magnitude, at most about 1/16 of it plus a small floor.
      double allowed = Math.abs(v) / 16.0 + 16;
      assertThat(Math.abs(mu - v)).as("mu-law %d -> %d", v, mu).isLessThanOrEqualTo((int) (allowed * 1.1) + 1);
      assertThat(Math.abs(a - v)).as("A-law %d -> %d", v, a).isLessThanOrEqualTo((int) (allowed * 1.1) + 1);
      assertThat(Integer.signum(mu) * Integer.signum(v)).isGreaterThanOrEqualTo(0);
    }
  }

  @Test
  void decodingEveryCodeAndEncodingAgainIsStable() {
    for (int b = 0; b < 256; b++) {
      byte code = (byte) b;
      assertThat(G711.mulawToLinear(G711.linearToMulaw(G711.mulawToLinear(code))))
          .isEqualTo(G711.mulawToLinear(code));
      assertThat(G711.linearToAlaw(G711.alawToLinear(code))).as("A-law code %02x", b).isEqualTo(code);
    }
  }
}
