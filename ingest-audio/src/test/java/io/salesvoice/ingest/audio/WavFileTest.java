package io.salesvoice.ingest.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.salesvoice.schema.audio.AudioCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WavFileTest {

  @Test
  void readsMonoPcm16() {
    byte[] pcm = TestAudio.sineBytes(440, 16000, 100, 0.3);
    WavFile wav = WavFile.parse(new WavFile(AudioCodec.PCM16, 16000, 1, pcm).toBytes());
    assertThat(wav.codec()).isEqualTo(AudioCodec.PCM16);
    assertThat(wav.sampleRate()).isEqualTo(16000);
    assertThat(wav.channels()).isEqualTo(1);
    assertThat(wav.data()).isEqualTo(pcm);
    assertThat(wav.durationMs()).isEqualTo(100);
  }

  @Test
  void splitsStereoIntoLeftAndRight() {
    byte[] interleaved = Pcm16.toBytes(new short[] {1, -1, 2, -2, 3, -3});
    WavFile wav = WavFile.parse(new WavFile(AudioCodec.PCM16, 8000, 2, interleaved).toBytes());
    short[][] channels = wav.channelSamples();
    assertThat(channels[0]).containsExactly((short) 1, (short) 2, (short) 3);
    assertThat(channels[1]).containsExactly((short) -1, (short) -2, (short) -3);
  }

  @Test
  void decodesMulawAndAlaw() {
    byte[] mulaw = {(byte) 0x80, (byte) 0xFF};
    assertThat(WavFile.parse(new WavFile(AudioCodec.MULAW, 8000, 1, mulaw).toBytes()).channelSamples()[0])
        .containsExactly((short) 32124, (short) 0);
    byte[] alaw = {(byte) 0xAA, (byte) 0xD5};
    assertThat(WavFile.parse(new WavFile(AudioCodec.ALAW, 8000, 1, alaw).toBytes()).channelSamples()[0])
        .containsExactly((short) 32256, (short) 8);
  }

  @Test
  void skipsUnknownChunksAndReadsWaveFormatExtensible() {
    byte[] data = Pcm16.toBytes(new short[] {10, 20, 30, 40});
    ByteBuffer b = ByteBuffer.allocate(12 + 8 + 3 + 1 + 8 + 40 + 8 + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(b.capacity() - 8).put("WAVE".getBytes());
    b.put("LIST".getBytes()).putInt(3).put(new byte[] {1, 2, 3}).put((byte) 0); // odd chunk + pad byte
    b.put("fmt ".getBytes()).putInt(40).putShort((short) 0xFFFE).putShort((short) 1).putInt(8000).putInt(16000)
        .putShort((short) 2).putShort((short) 16).putShort((short) 22).putShort((short) 16).putInt(4)
        .putShort((short) 1).put(new byte[14]);
    b.put("data".getBytes()).putInt(data.length).put(data);
    WavFile wav = WavFile.parse(b.array());
    assertThat(wav.codec()).isEqualTo(AudioCodec.PCM16);
    assertThat(wav.channelSamples()[0]).containsExactly((short) 10, (short) 20, (short) 30, (short) 40);
  }

  @Test
  void truncatedDataIsMalformed() {
    byte[] file = new WavFile(AudioCodec.PCM16, 8000, 1, new byte[3200]).toBytes();
    assertThatThrownBy(() -> WavFile.parse(Arrays.copyOf(file, 1000)))
        .isInstanceOf(MalformedAudioException.class).hasMessageContaining("truncated");
    assertThatThrownBy(() -> WavFile.parse(Arrays.copyOf(file, 20)))
        .isInstanceOf(MalformedAudioException.class);
    assertThatThrownBy(() -> WavFile.parse(Arrays.copyOf(file, 8)))
        .isInstanceOf(MalformedAudioException.class);
  }

  @Test
  void mp3OggAndTextAreUnsupported() {
    assertThatThrownBy(() -> WavFile.parse("ID3\u0004\0\0\0\0\0\0".getBytes()))
        .isInstanceOf(UnsupportedAudioException.class).hasMessageContaining("MP3");
    assertThatThrownBy(() -> WavFile.parse("OggS\0\2\0\0\0\0".getBytes()))
        .isInstanceOf(UnsupportedAudioException.class).hasMessageContaining("Ogg");
    assertThatThrownBy(() -> WavFile.parse("hello, this is not audio".getBytes()))
        .isInstanceOf(UnsupportedAudioException.class).hasMessageContaining("not a WAV");
  }

  @Test
  void eightBitPcmAndSurroundAreUnsupported() {
    byte[] eightBit = new WavFile(AudioCodec.MULAW, 8000, 1, new byte[10]).toBytes();
    eightBit[20] = 1; // format tag PCM with 8 bits per sample
    assertThatThrownBy(() -> WavFile.parse(eightBit))
        .isInstanceOf(UnsupportedAudioException.class).hasMessageContaining("8 bits");
    byte[] sixChannels = new WavFile(AudioCodec.MULAW, 8000, 1, new byte[12]).toBytes();
    sixChannels[22] = 6;
    sixChannels[32] = 6;
    assertThatThrownBy(() -> WavFile.parse(sixChannels))
        .isInstanceOf(UnsupportedAudioException.class).hasMessageContaining("6 channels");
  }
}
