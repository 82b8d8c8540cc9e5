package io.salesvoice.ingest.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class G711Test {

  @Test
  void mulawDecodesReferenceCodes() {
    assertThat(G711.mulawToLinear((byte) 0xFF)).isEqualTo((short) 0);
    assertThat(G711.mulawToLinear((byte) 0x80)).isEqualTo((short) 32124);
    assertThat(G711.mulawToLinear((byte) 0x00)).isEqualTo((short) -32124);
    assertThat(G711.mulawToLinear((byte) 0xF0)).isEqualTo((short) 120);
  }

  @Test
  void alawDecodesReferenceCodes() {
    assertThat(G711.alawToLinear((byte) 0xD5)).isEqualTo((short) 8);
    assertThat(G711.alawToLinear((byte) 0x55)).isEqualTo((short) -8);
    assertThat(G711.alawToLinear((byte) 0xAA)).isEqualTo((short) 32256);
    assertThat(G711.alawToLinear((byte) 0x2A)).isEqualTo((short) -32256);
  }

  @Test
  void everyMulawCodeSurvivesDecodeAndEncode() {
    for (int code = 0; code < 256; code++) {
      if (code == 0x7F) {
        continue; // negative zero: encodes back to positive zero 0xFF
      }
      assertThat(G711.linearToMulaw(G711.mulawToLinear((byte) code)) & 0xFF).as("code %d", code).isEqualTo(code);
    }
  }

  @Test
  void everyAlawCodeSurvivesDecodeAndEncode() {
    for (int code = 0; code < 256; code++) {
      assertThat(G711.linearToAlaw(G711.alawToLinear((byte) code)) & 0xFF).as("code %d", code).isEqualTo(code);
    }
  }

  @Test
  void companderKeepsSpeechLevelAudioAboveThirtyDbSnr() {
    short[] sine = TestAudio.sine(440, 8000, 200, 0.5);
    byte[] pcm = Pcm16.toBytes(sine);
    assertThat(TestAudio.snrDb(sine, Pcm16.toShorts(G711.mulawToPcm16(G711.pcm16ToMulaw(pcm))))).isGreaterThan(30);
    assertThat(TestAudio.snrDb(sine, Pcm16.toShorts(G711.alawToPcm16(G711.pcm16ToAlaw(pcm))))).isGreaterThan(30);
  }

  @Test
  void extremesClipInsteadOfWrapping() {
    assertThat(G711.mulawToLinear(G711.linearToMulaw(Short.MAX_VALUE))).isGreaterThan((short) 30000);
    assertThat(G711.mulawToLinear(G711.linearToMulaw(Short.MIN_VALUE))).isLessThan((short) -30000);
    assertThat(G711.alawToLinear(G711.linearToAlaw(Short.MAX_VALUE))).isGreaterThan((short) 30000);
    assertThat(G711.alawToLinear(G711.linearToAlaw(Short.MIN_VALUE))).isLessThan((short) -30000);
  }

  @Test
  void pcmByteOrderIsLittleEndian() {
    byte[] pcm = G711.mulawToPcm16(new byte[] {(byte) 0x80});
    assertThat(pcm).containsExactly((byte) (32124 & 0xFF), (byte) (32124 >> 8));
  }
}
