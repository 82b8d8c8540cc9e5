package io.salesvoice.ingest.playback;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlaybackPacerTest {

  @Test
  void theFirstFramesGoAtOnceUpToTheLead() {
    PlaybackPacer p = new PlaybackPacer(60);
    long now = 1000;
    for (int i = 0; i < 3; i++) {
      assertThat(p.delayMs(now)).isZero();
      p.sent(now, 20);
    }
    assertThat(p.delayMs(now)).isEqualTo(0);
    p.sent(now, 20);
    assertThat(p.delayMs(now)).isEqualTo(20);
  }

  @Test
  void aLongTurnIsSentAtTheSpeedItPlays() {
    PlaybackPacer p = new PlaybackPacer(40);
    long now = 0;
    long firstSend = -1;
    for (int frame = 0; frame < 100; frame++) {
      now += p.delayMs(now);
      if (firstSend < 0) {
        firstSend = now;
      }
      p.sent(now, 20);
    }
    // 100 frames of 20 ms: the last is sent 2 s minus the lead after the first, never earlier
    assertThat(now - firstSend).isEqualTo(2000 - 20 - 40);
    assertThat(p.bufferedMs(now)).isEqualTo(60);
  }

  @Test
  void afterSilenceTheClockRestartsInsteadOfBursting() {
    PlaybackPacer p = new PlaybackPacer(0);
    p.sent(0, 20);
    assertThat(p.isPlaying(10)).isTrue();
    assertThat(p.isPlaying(5000)).isFalse();
    assertThat(p.delayMs(5000)).isZero();
    p.sent(5000, 20);
    assertThat(p.delayMs(5000)).isEqualTo(20);
  }

  @Test
  void resetForgetsQueuedAudio() {
    PlaybackPacer p = new PlaybackPacer(0);
    p.sent(0, 500);
    p.reset();
    assertThat(p.bufferedMs(0)).isZero();
    assertThat(p.delayMs(0)).isZero();
  }
}
