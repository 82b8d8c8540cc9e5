package io.salesvoice.tts.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.salesvoice.schema.audio.AudioCodec;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AudioEncoderTest {

  @Test
  void cutsMulawTelephoneAudioIntoWhole20MsFrames() {
    OutputFormat format = OutputFormat.telephone();
    AudioEncoder encoder = format.newEncoder(22050);
    short[] tone = Signals.sine(500, 22050, 22050 / 2 + 17, 8000);   // a little over 500 ms

    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < tone.length; i += 512) {
      frames.addAll(encoder.encode(java.util.Arrays.copyOfRange(tone, i, Math.min(tone.length, i + 512))));
    }
    frames.addAll(encoder.finish());

    assertThat(frames).allSatisfy(f -> assertThat(f).hasSize(160));
    assertThat(frames).hasSize(26);   // 500.8 ms of audio -> 25 full frames + 1 padded
    short[] decoded = AudioEncoder.decode(join(frames), format);
    assertThat(Signals.dominantFrequency(java.util.Arrays.copyOfRange(decoded, 100, 3900), 8000))
        .isCloseTo(500, within(5.0));
    byte[] last = frames.get(frames.size() - 1);
    assertThat(last[last.length - 1]).isEqualTo((byte) 0xFF);   // padded with mu-law silence
  }

  @Test
  void pcm16IsLittleEndianAtTheCallsRate() {
    OutputFormat format = OutputFormat.of(AudioCodec.PCM16, 16000);
    AudioEncoder encoder = format.newEncoder(16000);
    short[] samples = new short[320];
    samples[0] = 0x1234;
    samples[1] = -2;
    List<byte[]> frames = encoder.encode(samples);
    assertThat(frames).hasSize(1);
    assertThat(frames.get(0)).hasSize(640);
    assertThat(frames.get(0)[0]).isEqualTo((byte) 0x34);
    assertThat(frames.get(0)[1]).isEqualTo((byte) 0x12);
    assertThat(frames.get(0)[2]).isEqualTo((byte) 0xFE);
    assertThat(frames.get(0)[3]).isEqualTo((byte) 0xFF);
    assertThat(encoder.finish()).isEmpty();
  }

  @Test
  void alawRoundTripKeepsTheLevel() {
    OutputFormat format = OutputFormat.of(AudioCodec.ALAW, 8000);
    AudioEncoder encoder = format.newEncoder(16000);
    List<byte[]> frames = new ArrayList<>(encoder.encode(Signals.sine(300, 16000, 16000, 12000)));
    frames.addAll(encoder.finish());
    short[] decoded = AudioEncoder.decode(join(frames), format);
    assertThat(decoded.length).isEqualTo(8000);
    assertThat(Signals.rms(java.util.Arrays.copyOfRange(decoded, 200, 7800)))
        .isCloseTo(12000 / Math.sqrt(2), within(300.0));
  }

  static byte[] join(List<byte[]> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frames.forEach(out::writeBytes);
    return out.toByteArray();
  }
}
