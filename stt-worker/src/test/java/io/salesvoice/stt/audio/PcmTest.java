package io.salesvoice.stt.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PcmTest {

  @Test
  void pcm16IsReadLittleEndianAndSigned() {
    byte[] data = {0x34, 0x12, (byte) 0xff, (byte) 0xff, 0x00, (byte) 0x80, (byte) 0xff, 0x7f};
    assertThat(Pcm.decode(Codec.PCM16, data)).containsExactly((short) 0x1234, (short) -1, Short.MIN_VALUE,
        Short.MAX_VALUE);
  }

  @Test
  void trailingOddByteOfPcm16IsDropped() {
    assertThat(Pcm.decode(Codec.PCM16, new byte[] {1, 0, 7})).containsExactly((short) 1);
  }

  @Test
  void littleEndianRoundTrip() {
    short[] samples = {0, 1, -1, 12345, -12345, Short.MAX_VALUE, Short.MIN_VALUE};
    assertThat(Pcm.decode(Codec.PCM16, Pcm.toLittleEndian(samples))).containsExactly(samples);
  }

  @Test
  void mulawKnownCodewords() {
    // G.711: 0xFF and 0x7F are the two zeros, 0x00 is the most negative, 0x80 the most positive value
    assertThat(Pcm.decode(Codec.MULAW, new byte[] {(byte) 0xff, 0x7f, 0x00, (byte) 0x80}))
        .containsExactly((short) 0, (short) 0, (short) -32124, (short) 32124);
  }

  @Test
  void alawKnownCodewords() {
    // G.711 A-law: 0xD5 is the smallest positive step, 0x55 the smallest negative, 0xAA the largest positive
    assertThat(Pcm.decode(Codec.ALAW, new byte[] {(byte) 0xd5, 0x55, (byte) 0xaa, 0x2a}))
        .containsExactly((short) 8, (short) -8, (short) 32256, (short) -32256);
  }

  @Test
  void mulawRoundTripKeepsTheSignalWithinItsQuantisationStep() {
    for (int s = -32000; s <= 32000; s += 37) {
      short decoded = Pcm.decode(Codec.MULAW, new byte[] {Pcm.encodeMulaw((short) s)})[0];
      assertThat(Math.abs(decoded - s)).as("sample %d", s).isLessThanOrEqualTo(Math.max(8, Math.abs(s) / 16));
    }
  }

  @Test
  void alawRoundTripKeepsTheSignalWithinItsQuantisationStep() {
    for (int s = -32000; s <= 32000; s += 37) {
      short decoded = Pcm.decode(Codec.ALAW, new byte[] {Pcm.encodeAlaw((short) s)})[0];
      assertThat(Math.abs(decoded - s)).as("sample %d", s).isLessThanOrEqualTo(Math.max(16, Math.abs(s) / 16));
    }
  }

  @Test
  void oneSampleIsOneByteInG711() {
    assertThat(Pcm.decode(Codec.MULAW, new byte[160])).hasSize(160);
    assertThat(Pcm.decode(Codec.ALAW, new byte[160])).hasSize(160);
  }
}
