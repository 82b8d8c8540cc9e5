package io.salesvoice.stt.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResamplerTest {

  @Test
  void upsamplingDoublesTheSampleCount() {
    Resampler r = new Resampler(8000, 16000);
    int total = 0;
    for (int i = 0; i < 50; i++) {
      total += r.process(new short[160]).length;
    }
    total += r.flush().length;
    assertThat(total).isBetween(2 * 8000 - 2, 2 * 8000 + 2);
  }

  @Test
  void downsamplingHalvesTheSampleCount() {
    Resampler r = new Resampler(16000, 8000);
    int total = 0;
    for (int i = 0; i < 25; i++) {
      total += r.process(new short[640]).length;
    }
    total += r.flush().length;
    assertThat(total).isBetween(8000 - 2, 8000 + 2);
  }

  @Test
  void aToneKeepsItsFrequencyAndLevelAcrossChunkBoundaries() {
    short[] in = tone(440, 8000, 8000, 10000);
    short[] out = resampleInChunks(new Resampler(8000, 16000), in, 160);
    // skip the filter's edges, then compare with the ideal 16 kHz tone shifted by nothing (output is aligned)
    double err = 0;
    double energy = 0;
    short[] ideal = tone(440, 16000, out.length, 10000);
    for (int i = 200; i < out.length - 200; i++) {
      err += Math.pow(out[i] - ideal[i], 2);
      energy += Math.pow(ideal[i], 2);
    }
    assertThat(10 * Math.log10(energy / err)).as("signal to error ratio, dB").isGreaterThan(30);
  }

  @Test
  void chunkingDoesNotChangeTheOutput() {
    short[] in = tone(1000, 8000, 4000, 8000);
    short[] whole = resampleInChunks(new Resampler(8000, 16000), in, in.length);
    short[] small = resampleInChunks(new Resampler(8000, 16000), in, 7);
    assertThat(small).containsExactly(whole);
  }

  @Test
  void downsamplingRemovesWhatTheLowerRateCannotCarry() {
    // 6 kHz cannot exist at 8 kHz: the anti-alias filter must remove it instead of folding it to 2 kHz
    short[] out = resampleInChunks(new Resampler(16000, 8000), tone(6000, 16000, 16000, 10000), 320);
    assertThat(VoiceLevel.rms(out, 200, out.length - 400)).isLessThan(1000);
    short[] kept = resampleInChunks(new Resampler(16000, 8000), tone(1000, 16000, 16000, 10000), 320);
    assertThat(VoiceLevel.rms(kept, 200, kept.length - 400)).isGreaterThan(6000);
  }

  @Test
  void sameRateIsACopy() {
    short[] in = {1, 2, 3};
    Resampler r = new Resampler(16000, 16000);
    assertThat(r.process(in)).containsExactly(1, 2, 3).isNotSameAs(in);
    assertThat(r.flush()).isEmpty();
  }

  @Test
  void rejectsNonPositiveRates() {
    assertThatThrownBy(() -> new Resampler(0, 16000)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void loudInputIsClippedNotWrapped() {
    short[] square = new short[800];
    for (int i = 0; i < square.length; i++) {
      square[i] = (i / 20) % 2 == 0 ? Short.MAX_VALUE : Short.MIN_VALUE;
    }
    short[] out = resampleInChunks(new Resampler(8000, 16000), square, 160);
    // Gibbs overshoot must saturate; a wrapped sample would jump to the opposite sign in the middle of a plateau
    for (int i = 100; i < out.length - 100; i++) {
      int phase = (i / 2) % 40;
      if (phase > 5 && phase < 15) {
        assertThat(out[i]).as("sample %d", i).isGreaterThan((short) 20000);
      }
    }
  }

  static short[] tone(double hz, int rate, int n, double amplitude) {
    short[] s = new short[n];
    for (int i = 0; i < n; i++) {
      s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / rate));
    }
    return s;
  }

  static short[] resampleInChunks(Resampler r, short[] in, int chunk) {
    List<short[]> parts = new ArrayList<>();
    for (int i = 0; i < in.length; i += chunk) {
      short[] c = new short[Math.min(chunk, in.length - i)];
      System.arraycopy(in, i, c, 0, c.length);
      parts.add(r.process(c));
    }
    parts.add(r.flush());
    int n = parts.stream().mapToInt(p -> p.length).sum();
    short[] out = new short[n];
    int o = 0;
    for (short[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }

  /** RMS helper for the tests. */
  static final class VoiceLevel {
    static double rms(short[] s, int from, int len) {
      double sum = 0;
      for (int i = from; i < from + len; i++) {
        sum += (double) s[i] * s[i];
      }
      return Math.sqrt(sum / len);
    }
  }
}
