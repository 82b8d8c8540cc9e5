package io.salesvoice.ingest.audio;

import io.salesvoice.schema.audio.AudioCodec;

/** A mono audio encoding: codec and sample rate, enough to convert bytes and to know how long they last. */
public record AudioFormat(AudioCodec codec, int sampleRate) {

  public static final AudioFormat MULAW_8K = new AudioFormat(AudioCodec.MULAW, 8000);
  public static final AudioFormat PCM16_8K = new AudioFormat(AudioCodec.PCM16, 8000);
  public static final AudioFormat PCM16_16K = new AudioFormat(AudioCodec.PCM16, 16000);

  public AudioFormat {
    if (codec == null || codec == AudioCodec.UNKNOWN) {
      throw new UnsupportedAudioException("unknown codec");
    }
    if (sampleRate != 8000 && sampleRate != 16000) {
      throw new UnsupportedAudioException("sample rate " + sampleRate + " Hz: only 8000 and 16000 Hz are supported");
    }
  }

  public int bytesPerSample() {
    return codec == AudioCodec.PCM16 ? 2 : 1;
  }

  /** Bytes in {@code ms} milliseconds of audio. */
  public int bytesFor(int ms) {
    return sampleRate / 1000 * ms * bytesPerSample();
  }

  /** Milliseconds that {@code bytes} bytes of audio last, rounded down. */
  public int millisOf(int bytes) {
    return (int) (bytes / bytesPerSample() * 1000L / sampleRate);
  }
}
