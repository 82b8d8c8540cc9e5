package io.salesvoice.ingest.audio;

import io.salesvoice.schema.audio.AudioCodec;

/**
 * Converts one stream's frames from one {@link AudioFormat} to another: decode to PCM16, resample, encode. The only
 * place in the pipeline where codecs and rates change. One instance per stream and direction (it keeps resampler
 * state); not thread-safe.
 */
public final class AudioConverter {

  private final AudioFormat from;
  private final AudioFormat to;
  private final Resampler resampler;

  public AudioConverter(AudioFormat from, AudioFormat to) {
    this.from = from;
    this.to = to;
    this.resampler = new Resampler(from.sampleRate(), to.sampleRate());
  }

  public AudioFormat from() {
    return from;
  }

  public AudioFormat to() {
    return to;
  }

  public byte[] convert(byte[] data) {
    if (from.equals(to)) {
      return data;
    }
    return encode(resampler.process(toPcm16(from.codec(), data)), to.codec());
  }

  public static byte[] toPcm16(AudioCodec codec, byte[] data) {
    return switch (codec) {
      case PCM16 -> data;
      case MULAW -> G711.mulawToPcm16(data);
      case ALAW -> G711.alawToPcm16(data);
      default -> throw new UnsupportedAudioException("unknown codec " + codec);
    };
  }

  public static byte[] encode(byte[] pcm16, AudioCodec codec) {
    return switch (codec) {
      case PCM16 -> pcm16;
      case MULAW -> G711.pcm16ToMulaw(pcm16);
      case ALAW -> G711.pcm16ToAlaw(pcm16);
      default -> throw new UnsupportedAudioException("unknown codec " + codec);
    };
  }
}
