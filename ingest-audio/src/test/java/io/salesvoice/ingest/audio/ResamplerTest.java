package io.salesvoice.ingest.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.salesvoice.schema.audio.AudioCodec;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class ResamplerTest {

  @Test
  void upsamplingEightToSixteenKhzKeepsTheTone() {
    byte[] at8k = TestAudio.sineBytes(440, 8000, 100, 0.5);
    byte[] at16k = new Resampler(8000, 16000).process(at8k);
    assertThat(at16k).hasSize(at8k.length * 2);
    short[] expected = TestAudio.sine(440, 16000, 100, 0.5);
    // the interpolating filter delays by half an input sample: compare against the delayed tone
    short[] delayed = new short[expected.length];
    System.arraycopy(expected, 0, delayed, 1, expected.length - 1);
    assertThat(TestAudio.snrDb(delayed, Pcm16.toShorts(at16k))).isGreaterThan(25);
  }

  @Test
  void downsamplingSixteenToEightKhzKeepsTheTone() {
    byte[] at8k = new Resampler(16000, 8000).process(TestAudio.sineBytes(300, 16000, 100, 0.5));
    short[] actual = Pcm16.toShorts(at8k);
    assertThat(actual).hasSize(800);
    // averaging pairs samples the tone half a 16 kHz sample late
    short[] expected = new short[800];
    for (int i = 0; i < 800; i++) {
      expected[i] = (short) Math.round(0.5 * 32767 * Math.sin(2 * Math.PI * 300 * (i + 0.25) / 8000));
    }
    assertThat(TestAudio.snrDb(expected, actual)).isGreaterThan(25);
  }

  @Test
  void framesGiveTheSameResultAsTheWholeStream() {
    byte[] whole = TestAudio.sineBytes(523, 8000, 200, 0.4);
    byte[] expected = new Resampler(8000, 16000).process(whole);
    Resampler framed = new Resampler(8000, 16000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int off = 0; off < whole.length; off += 320) {
      byte[] frame = java.util.Arrays.copyOfRange(whole, off, Math.min(whole.length, off + 320));
      out.writeBytes(framed.process(frame));
    }
    assertThat(out.toByteArray()).isEqualTo(expected);
  }

  @Test
  void oddFramesAreCarriedOverWhenDownsampling() {
    Resampler r = new Resampler(16000, 8000);
    byte[] a = r.process(Pcm16.toBytes(new short[] {100, 300, 1000}));
    byte[] b = r.process(Pcm16.toBytes(new short[] {3000, 50}));
    assertThat(Pcm16.toShorts(a)).containsExactly((short) 200);
    assertThat(Pcm16.toShorts(b)).containsExactly((short) 2000);
  }

  @Test
  void otherRatesAreRefused() {
    assertThatThrownBy(() -> new Resampler(8000, 44100)).isInstanceOf(UnsupportedAudioException.class);
  }

  @Test
  void wholeRecordingResamplingHandlesArbitraryRates() {
    short[] at44k = TestAudio.sine(440, 44100, 500, 0.5);
    short[] at16k = Resampler.resampleWhole(at44k, 44100, 16000);
    assertThat(at16k.length).isBetween(7999, 8000);
    assertThat(TestAudio.snrDb(TestAudio.sine(440, 16000, 500, 0.5), at16k)).isGreaterThan(20);
  }

  @Test
  void converterGoesFromTelephoneMulawToWidebandPcm() {
    byte[] pcm8 = TestAudio.sineBytes(440, 8000, 20, 0.5);
    byte[] mulaw = G711.pcm16ToMulaw(pcm8);
    AudioConverter c = new AudioConverter(AudioFormat.MULAW_8K, AudioFormat.PCM16_16K);
    byte[] out = c.convert(mulaw);
    assertThat(out).hasSize(640);
    AudioConverter back = new AudioConverter(AudioFormat.PCM16_16K, new AudioFormat(AudioCodec.ALAW, 8000));
    assertThat(back.convert(out)).hasSize(160);
  }

  @Test
  void formatsOutsideTelephoneRatesAreRefused() {
    assertThatThrownBy(() -> new AudioFormat(AudioCodec.PCM16, 44100))
        .isInstanceOf(UnsupportedAudioException.class).hasMessageContaining("44100");
    assertThatThrownBy(() -> new AudioFormat(AudioCodec.UNKNOWN, 8000)).isInstanceOf(UnsupportedAudioException.class);
  }
}
