package io.salesvoice.tts.audio;

import io.salesvoice.schema.audio.AudioCodec;
import java.util.Objects;

/** The audio format a call takes (codec and rate) and the size of its 20 ms frames. */
public record OutputFormat(AudioCodec codec, int sampleRate, int frameMs) {

  public static final int DEFAULT_FRAME_MS = 20;

  public OutputFormat {
    Objects.requireNonNull(codec, "codec");
    if (codec == AudioCodec.UNKNOWN) {
      throw new IllegalArgumentException("cannot encode to an UNKNOWN codec");
    }
    if (sampleRate < 4000 || sampleRate > 48000) {
      throw new IllegalArgumentException("unsupported sample rate " + sampleRate);
    }
    if (frameMs <= 0 || (sampleRate * frameMs) % 1000 != 0) {
      throw new IllegalArgumentException("a " + frameMs + " ms frame is not a whole number of samples at " + sampleRate);
    }
  }

  public static OutputFormat of(AudioCodec codec, int sampleRate) {
    return new OutputFormat(codec, sampleRate, DEFAULT_FRAME_MS);
  }

  /** Telephone audio: G.711 mu-law at 8 kHz. */
  public static OutputFormat telephone() {
    return of(AudioCodec.MULAW, 8000);
  }

  public int bytesPerSample() {
    return codec == AudioCodec.PCM16 ? 2 : 1;
  }

  public int samplesPerFrame() {
    return sampleRate * frameMs / 1000;
  }

  public int bytesPerFrame() {
    return samplesPerFrame() * bytesPerSample();
  }

  /** The byte value of silence in this codec, for padding the last frame. */
  public byte silenceByte() {
    return switch (codec) {
      case MULAW -> (byte) 0xFF;
      case ALAW -> (byte) 0xD5;
      default -> 0;
    };
  }

  public AudioEncoder newEncoder(int inputRate) {
    return new AudioEncoder(inputRate, this);
  }

  @Override
  public String toString() {
    return codec + "/" + sampleRate;
  }
}
