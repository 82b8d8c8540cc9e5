package io.salesvoice.ingest.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BargeInDetectorTest {

  private static final byte[] SPEECH = TestAudio.sineBytes(300, 8000, 20, 0.3);
  private static final byte[] QUIET = TestAudio.sineBytes(300, 8000, 20, 0.001);

  @Test
  void sustainedSpeechIsABargeIn() {
    BargeInDetector d = new BargeInDetector(-35, 100);
    for (int i = 0; i < 4; i++) {
      assertThat(d.onFrame(SPEECH, 20)).isFalse();
    }
    assertThat(d.onFrame(SPEECH, 20)).isTrue();
  }

  @Test
  void aShortClickIsNot() {
    BargeInDetector d = new BargeInDetector(-35, 100);
    for (int i = 0; i < 20; i++) {
      assertThat(d.onFrame(i % 4 == 0 ? SPEECH : QUIET, 20)).isFalse();
    }
  }

  @Test
  void lineNoiseBelowTheThresholdIsNot() {
    BargeInDetector d = new BargeInDetector(-35, 100);
    for (int i = 0; i < 50; i++) {
      assertThat(d.onFrame(QUIET, 20)).isFalse();
    }
    assertThat(Pcm16.rmsDbfs(QUIET)).isLessThan(-50);
    assertThat(Pcm16.rmsDbfs(new byte[320])).isEqualTo(-120);
  }
}
