package io.salesvoice.tts.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ResamplerTest {

  @Test
  void downsamplingToTheTelephoneRateKeepsDurationFrequencyAndLevel() {
    short[] tone = Signals.sine(440, 22050, 22050, 10000);
    short[] out = all(new Resampler(22050, 8000), tone, 441);

    assertThat(out.length).isCloseTo(8000, within(1));
    assertThat(Signals.dominantFrequency(out, 8000)).isCloseTo(440, within(5.0));
    // RMS of a sine of amplitude A is A/sqrt(2); ignore the filter's edges.
    assertThat(Signals.rms(Arrays.copyOfRange(out, 200, 7800))).isCloseTo(10000 / Math.sqrt(2), within(150.0));
  }

  @Test
  void toneAboveTheNewNyquistFrequencyIsFilteredNotAliased() {
    // 6 kHz cannot exist at 8 kHz; a naive decimator would fold it to 2 kHz at full level.
    short[] tone = Signals.sine(6000, 22050, 22050, 10000);
    short[] out = all(new Resampler(22050, 8000), tone, 1000);

    assertThat(Signals.rms(Arrays.copyOfRange(out, 200, 7800))).isLessThan(100);
  }

  @Test
  void upsamplingKeepsTheTone() {
    short[] tone = Signals.sine(1000, 8000, 8000, 8000);
    short[] out = all(new Resampler(8000, 16000), tone, 160);

    assertThat(out.length).isEqualTo(16000);
    assertThat(Signals.dominantFrequency(out, 16000)).isCloseTo(1000, within(5.0));
    assertThat(Signals.rms(Arrays.copyOfRange(out, 400, 15600))).isCloseTo(8000 / Math.sqrt(2), within(150.0));
  }

  @Test
  void blockSizesDoNotChangeTheResult() {
    short[] tone = Signals.sine(700, 24000, 12000, 9000);
    short[] oneBlock = all(new Resampler(24000, 8000), tone, tone.length);
    short[] smallBlocks = all(new Resampler(24000, 8000), tone, 37);

    assertThat(smallBlocks).isEqualTo(oneBlock);
  }

  @Test
  void equalRatesPassThrough() {
    short[] tone = Signals.sine(700, 16000, 1600, 9000);
    assertThat(all(new Resampler(16000, 16000), tone, 100)).isEqualTo(tone);
  }

  static short[] all(Resampler r, short[] input, int block) {
    short[] out = new short[0];
    for (int i = 0; i < input.length; i += block) {
      out = concat(out, r.process(Arrays.copyOfRange(input, i, Math.min(input.length, i + block))));
    }
    return concat(out, r.flush());
  }

  static short[] concat(short[] a, short[] b) {
    short[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
