package io.salesvoice.simulators.carrier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelephoneAudioTest {

  @Test
  void muLawMatchesG711() {
    // reference values of ITU-T G.711 / CPython's audioop.lin2ulaw
    assertThat(TelephoneAudio.linearToMulaw((short) 0)).isEqualTo((byte) 0xFF);
    assertThat(TelephoneAudio.linearToMulaw((short) 32767)).isEqualTo((byte) 0x80);
    assertThat(TelephoneAudio.linearToMulaw((short) -32768)).isEqualTo((byte) 0x00);
    assertThat(TelephoneAudio.linearToMulaw((short) 1000)).isEqualTo((byte) 0xCE);
    assertThat(TelephoneAudio.linearToMulaw((short) -1000)).isEqualTo((byte) 0x4E);
    assertThat(TelephoneAudio.mulawToLinear((byte) 0x80)).isEqualTo((short) 32124);
    assertThat(TelephoneAudio.mulawToLinear((byte) 0xFF)).isEqualTo((short) 0);
    for (int s = -32000; s <= 32000; s += 7) {
      short back = TelephoneAudio.mulawToLinear(TelephoneAudio.linearToMulaw((short) s));
      assertThat(Math.abs(back - s)).as("sample %d", s).isLessThanOrEqualTo(Math.max(8, Math.abs(s) / 16));
    }
  }

  @Test
  void framesAre160BytesOf20MsAndTheLastIsPaddedWithSilence() {
    List<byte[]> frames = TelephoneAudio.frames(new byte[400]);
    assertThat(frames).hasSize(3).allSatisfy(f -> assertThat(f).hasSize(160));
    assertThat(frames.get(2)[79]).isEqualTo((byte) 0);
    assertThat(frames.get(2)[80]).isEqualTo(TelephoneAudio.MULAW_SILENCE);
    assertThat(TelephoneAudio.levelDbfs(TelephoneAudio.silenceFrame())).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void resamplingKeepsTheTelephoneBandAndDropsWhatWouldAlias() {
    short[] speech = sine(22050, 1000, 1.0);
    short[] alias = sine(22050, 6000, 1.0);   // above 8 kHz's Nyquist: would fold to 2 kHz
    short[] s8 = TelephoneAudio.resample(speech, 22050, 8000);
    short[] a8 = TelephoneAudio.resample(alias, 22050, 8000);
    assertThat(s8).hasSize(8000);
    assertThat(rmsDb(s8) - rmsDb(speech)).isBetween(-1.0, 1.0);
    assertThat(rmsDb(a8) - rmsDb(alias)).isLessThan(-30);
  }

  @Test
  void aStreamedWavWithAPlaceholderSizeIsReadToItsEnd() {
    short[] pcm = sine(22050, 440, 0.5);
    byte[] wav = wav(pcm, 22050, 1, 0x7ffff000);
    byte[] mulaw = TelephoneAudio.wavToMulaw8k(wav);
    assertThat(mulaw.length).isEqualTo(4000);   // 0.5 s at 8 kHz
    assertThat(TelephoneAudio.wavSampleRate(wav)).isEqualTo(22050);
  }

  @Test
  void stereoIsMixedToMono() {
    short[] pcm = new short[] {1000, 3000, -2000, -4000};
    assertThat(TelephoneAudio.wavToMonoPcm(wav(pcm, 8000, 2, pcm.length * 2))).containsExactly((short) 2000,
        (short) -3000);
  }

  @Test
  void whatIsNotA16BitPcmWavIsRefusedWithTheReason() {
    assertThatThrownBy(() -> TelephoneAudio.wavToMulaw8k("ID3 mp3 data".getBytes()))
        .hasMessageContaining("not a WAV file");
    byte[] eightBit = wav(new short[10], 8000, 1, 20);
    eightBit[34] = 8;
    assertThatThrownBy(() -> TelephoneAudio.wavToMulaw8k(eightBit)).hasMessageContaining("only 16-bit PCM");
    byte[] noData = java.util.Arrays.copyOf(wav(new short[10], 8000, 1, 20), 36);
    assertThatThrownBy(() -> TelephoneAudio.wavToMulaw8k(noData)).hasMessageContaining("no data chunk");
  }

  @Test
  void espeakLinesBecome8kHzMuLawFramesOfTheirDuration(@TempDir Path dir) throws Exception {
    assumeThat(Files.isExecutable(Path.of("/usr/bin/espeak-ng"))).as("espeak-ng installed").isTrue();
    Process p = new ProcessBuilder("espeak-ng", "--stdout", "-v", "en-us", "-s", "160", "--", "yes sure go ahead")
        .start();
    byte[] wav = p.getInputStream().readAllBytes();
    p.waitFor();
    int rate = TelephoneAudio.wavSampleRate(wav);
    assertThat(rate).isEqualTo(22050);
    int samples22k = TelephoneAudio.wavToMonoPcm(wav).length;

    EspeakCustomerVoice voice = new EspeakCustomerVoice("espeak-ng", 160, Map.of());
    byte[] mulaw = voice.speak("yes sure go ahead", "en-US");
    assertThat(mulaw.length).isEqualTo((int) ((long) samples22k * 8000 / 22050));
    assertThat(mulaw.length / 8).as("duration ms").isBetween(700, 3000);
    assertThat(TelephoneAudio.levelDbfs(mulaw)).isGreaterThan(-40);
    List<byte[]> frames = TelephoneAudio.frames(mulaw);
    assertThat(frames).hasSize((mulaw.length + 159) / 160);
    assertThat(voice.speak("yes sure go ahead", "en-US")).isSameAs(mulaw);   // cached per line

    // a recorded WAV configured for a line is played instead of synthesizing it
    Path recording = dir.resolve("yes.wav");
    Files.write(recording, wav(sine(16000, 300, 0.25), 16000, 1, 8000));
    EspeakCustomerVoice recorded = new EspeakCustomerVoice("espeak-ng", 160, Map.of("yes", recording));
    assertThat(recorded.speak("yes", "en-US")).hasSize(2000);

    EspeakCustomerVoice missing = new EspeakCustomerVoice("/nonexistent/espeak", 160, Map.of());
    assertThatThrownBy(() -> missing.speak("hello", "en-US")).hasMessageContaining("SIMULATED carrier");
  }

  @Test
  void espeakVoicesFollowTheLanguageTag() {
    assertThat(EspeakCustomerVoice.voiceOf("en-US")).isEqualTo("en-us");
    assertThat(EspeakCustomerVoice.voiceOf("en-GB")).isEqualTo("en-gb");
    assertThat(EspeakCustomerVoice.voiceOf("ru-RU")).isEqualTo("ru");
    assertThat(EspeakCustomerVoice.voiceOf(null)).isEqualTo("en-us");
  }

  static short[] sine(int rate, double hz, double seconds) {
    short[] s = new short[(int) (rate * seconds)];
    for (int i = 0; i < s.length; i++) {
      s[i] = (short) (0.3 * Short.MAX_VALUE * Math.sin(2 * Math.PI * hz * i / rate));
    }
    return s;
  }

  static double rmsDb(short[] s) {
    double sum = 0;
    for (int i = 100; i < s.length - 100; i++) {
      sum += (double) s[i] * s[i];
    }
    return 10 * Math.log10(sum / (s.length - 200));
  }

  static byte[] wav(short[] pcm, int rate, int channels, int declaredDataSize) {
    ByteBuffer b = ByteBuffer.allocate(44 + pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(36 + declaredDataSize).put("WAVE".getBytes());
    b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) channels).putInt(rate)
        .putInt(rate * 2 * channels).putShort((short) (2 * channels)).putShort((short) 16);
    b.put("data".getBytes()).putInt(declaredDataSize);
    for (short s : pcm) {
      b.putShort(s);
    }
    return b.array();
  }
}
