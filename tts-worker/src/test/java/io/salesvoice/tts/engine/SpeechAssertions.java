package io.salesvoice.tts.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesvoice.tts.audio.PcmBlock;
import io.salesvoice.tts.audio.Signals;
import java.time.Duration;
import java.util.List;

/** What real speech looks like: audible, mostly voiced, about as long as the words take to say. */
final class SpeechAssertions {

  private SpeechAssertions() {
  }

  static short[] join(List<PcmBlock> blocks) {
    int n = blocks.stream().mapToInt(b -> b.samples().length).sum();
    short[] all = new short[n];
    int p = 0;
    for (PcmBlock b : blocks) {
      System.arraycopy(b.samples(), 0, all, p, b.samples().length);
      p += b.samples().length;
    }
    return all;
  }

  static void assertSpeech(List<PcmBlock> blocks, int rate, Duration min, Duration max) {
    assertThat(blocks).isNotEmpty().allSatisfy(b -> assertThat(b.sampleRate()).isEqualTo(rate));
    short[] all = join(blocks);
    double ms = all.length * 1000.0 / rate;
    assertThat(ms).as("duration in ms").isBetween((double) min.toMillis(), (double) max.toMillis());
    assertThat(Signals.rms(all)).as("overall level").isGreaterThan(300);
    assertThat(Signals.voicedFraction(all, rate, 200)).as("voiced fraction").isGreaterThan(0.4);
    int peak = 0;
    for (short s : all) {
      peak = Math.max(peak, Math.abs(s));
    }
    assertThat(peak).as("peak").isLessThan(32767).isGreaterThan(2000);
  }
}
