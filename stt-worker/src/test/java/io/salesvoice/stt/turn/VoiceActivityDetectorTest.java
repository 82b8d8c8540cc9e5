package io.salesvoice.stt.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class VoiceActivityDetectorTest {

  private static final int FRAME = 320;   // 20 ms at 16 kHz

  @Test
  void digitalSilenceIsNotSpeech() {
    VoiceActivityDetector vad = VoiceActivityDetector.telephony();
    for (int i = 0; i < 50; i++) {
      assertThat(vad.isSpeech(new short[FRAME])).isFalse();
    }
  }

  @Test
  void loudVoicedSoundAfterQuietIsSpeech() {
    VoiceActivityDetector vad = VoiceActivityDetector.telephony();
    Random random = new Random(1);
    for (int i = 0; i < 25; i++) {
      vad.isSpeech(noise(random, 30));
    }
    assertThat(vad.isSpeech(voiced(random, 6000, 0))).isTrue();
  }

  @Test
  void steadyHissAboveTheAbsoluteThresholdIsLearnedAsBackground() {
    VoiceActivityDetector vad = VoiceActivityDetector.telephony();
    Random random = new Random(2);
    int speechFrames = 0;
    for (int i = 0; i < 200; i++) {
      if (vad.isSpeech(noise(random, 600))) {   // about -35 dBFS: louder than the absolute threshold
        speechFrames++;
      }
    }
    assertThat(speechFrames).as("frames of hiss taken for speech (the first second, until it is learned)")
        .isLessThanOrEqualTo(50);
    assertThat(vad.noiseFloorDb()).isBetween(-40.0, -30.0);
    assertThat(vad.isSpeech(voiced(random, 8000, 600))).isTrue();
  }

  @Test
  void longSpeechDoesNotRaiseTheFloorUntilSpeechIsMissed() {
    VoiceActivityDetector vad = VoiceActivityDetector.telephony();
    Random random = new Random(3);
    for (int i = 0; i < 25; i++) {
      vad.isSpeech(noise(random, 30));
    }
    int missed = 0;
    int frames = 0;
    for (int i = 0; i < 500; i++) {   // ten seconds of speech, syllables at 4 per second
      double envelope = Math.abs(Math.sin(Math.PI * 4 * i * 0.02));
      if (envelope > 0.3) {
        frames++;
        if (!vad.isSpeech(voiced(random, 8000 * envelope, 30))) {
          missed++;
        }
      } else {
        vad.isSpeech(voiced(random, 8000 * envelope * 0.05, 30));
      }
    }
    assertThat(frames).isGreaterThan(300);
    assertThat(missed).isZero();
  }

  @Test
  void hissIsNoLongerSpeechOnceLearned() {
    VoiceActivityDetector vad = VoiceActivityDetector.telephony();
    Random random = new Random(5);
    for (int i = 0; i < 60; i++) {
      vad.isSpeech(noise(random, 600));
    }
    for (int i = 0; i < 100; i++) {
      assertThat(vad.isSpeech(noise(random, 600))).as("frame %d", i).isFalse();
    }
  }

  @Test
  void quietSpeechUnderTheAbsoluteThresholdIsIgnored() {
    VoiceActivityDetector vad = new VoiceActivityDetector(-40, 6);
    Random random = new Random(4);
    assertThat(vad.isSpeech(voiced(random, 200, 0))).isFalse();   // about -47 dBFS
  }

  @Test
  void dcOffsetIsNotEnergy() {
    short[] frame = new short[FRAME];
    java.util.Arrays.fill(frame, (short) 5000);
    assertThat(VoiceActivityDetector.levelDb(frame, 0, FRAME)).isEqualTo(-120);
    assertThat(VoiceActivityDetector.telephony().isSpeech(frame)).isFalse();
  }

  @Test
  void levelOfAFullScaleSineIsAboutMinusThreeDb() {
    short[] frame = new short[FRAME];
    for (int i = 0; i < FRAME; i++) {
      frame[i] = (short) (32767 * Math.sin(2 * Math.PI * 500 * i / 16000.0));
    }
    assertThat(VoiceActivityDetector.levelDb(frame, 0, FRAME)).isBetween(-3.2, -2.8);
  }

  @Test
  void emptyFrameIsSilence() {
    assertThat(VoiceActivityDetector.levelDb(new short[0], 0, 0)).isEqualTo(-120);
  }

  @Test
  void rejectsNegativeMargin() {
    assertThatThrownBy(() -> new VoiceActivityDetector(-50, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  static short[] noise(Random random, double amplitude) {
    short[] f = new short[FRAME];
    for (int i = 0; i < FRAME; i++) {
      f[i] = (short) Math.round(random.nextGaussian() * amplitude);
    }
    return f;
  }

  /** A crude vowel: a 150 Hz fundamental with harmonics, plus background noise. */
  static short[] voiced(Random random, double amplitude, double noise) {
    short[] f = new short[FRAME];
    for (int i = 0; i < FRAME; i++) {
      double t = i / 16000.0;
      double v = Math.sin(2 * Math.PI * 150 * t) + 0.5 * Math.sin(2 * Math.PI * 300 * t)
          + 0.3 * Math.sin(2 * Math.PI * 750 * t);
      f[i] = (short) Math.round(amplitude * v / 1.8 + random.nextGaussian() * noise);
    }
    return f;
  }
}
