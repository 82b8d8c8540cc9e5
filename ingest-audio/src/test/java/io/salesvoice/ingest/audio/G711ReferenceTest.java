package io.salesvoice.ingest.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Checks our G.711 against CPython's audioop, an independent implementation (tables in src/test/resources/audio). */
class G711ReferenceTest {

  static byte[] resource(String name) throws IOException {
    try (InputStream in = G711ReferenceTest.class.getResourceAsStream("/audio/" + name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void decodingMatchesTheReferenceForEveryCode() throws IOException {
    byte[] reference = resource("g711-reference.bin");
    byte[] codes = new byte[256];
    for (int i = 0; i < 256; i++) {
      codes[i] = (byte) i;
    }
    assertThat(G711.mulawToPcm16(codes)).isEqualTo(Arrays.copyOfRange(reference, 0, 512));
    assertThat(G711.alawToPcm16(codes)).isEqualTo(Arrays.copyOfRange(reference, 512, 1024));
  }

  @Test
  void encodingMatchesTheReferenceAcrossTheWholeRange() throws IOException {
    byte[] reference = resource("g711-ramp-encoded.bin");
    int n = reference.length / 2;
    short[] ramp = new short[n];
    for (int i = 0; i < n; i++) {
      ramp[i] = (short) (-32768 + 7 * i);
    }
    byte[] pcm = Pcm16.toBytes(ramp);
    assertThat(G711.pcm16ToMulaw(pcm)).isEqualTo(Arrays.copyOfRange(reference, 0, n));
    assertThat(G711.pcm16ToAlaw(pcm)).isEqualTo(Arrays.copyOfRange(reference, n, 2 * n));
  }

  @Test
  void aRealMulawRecordingDecodesLikeTheReference() throws IOException {
    WavFile wav = WavFile.parse(resource("offer-8k-mulaw.wav"));
    assertThat(wav.sampleRate()).isEqualTo(8000);
    assertThat(AudioConverter.toPcm16(wav.codec(), wav.data())).isEqualTo(resource("offer-8k-mulaw.pcm16"));
  }
}
