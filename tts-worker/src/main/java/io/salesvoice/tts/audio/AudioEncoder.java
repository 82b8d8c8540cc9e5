package io.salesvoice.tts.audio;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns an engine's PCM, block by block, into the call's format cut in whole frames: resampled, encoded (PCM16
 * little-endian, mu-law or A-law) and framed, so the first frame leaves as soon as 20 ms of speech exist. One per
 * utterance, not thread-safe; {@link #finish} pads the last frame with silence.
 */
public final class AudioEncoder {

  private final OutputFormat format;
  private final Resampler resampler;
  private final byte[] pending;
  private int pendingLength;
  private boolean finished;

  AudioEncoder(int inputRate, OutputFormat format) {
    this.format = format;
    this.resampler = new Resampler(inputRate, format.sampleRate());
    this.pending = new byte[format.bytesPerFrame()];
  }

  public OutputFormat format() {
    return format;
  }

  public int inputRate() {
    return resampler.inRate();
  }

  /** Encodes the next block of engine samples; returns the whole frames now complete (possibly none). */
  public List<byte[]> encode(short[] samples) {
    if (finished) {
      throw new IllegalStateException("the encoder was finished");
    }
    return frame(resampler.process(samples));
  }

  /** The remaining audio, the last frame padded with silence. */
  public List<byte[]> finish() {
    if (finished) {
      return List.of();
    }
    List<byte[]> frames = frame(resampler.flush());
    finished = true;
    if (pendingLength > 0) {
      java.util.Arrays.fill(pending, pendingLength, pending.length, format.silenceByte());
      frames.add(pending.clone());
      pendingLength = 0;
    }
    return frames;
  }

  private List<byte[]> frame(short[] samples) {
    List<byte[]> frames = new ArrayList<>();
    for (short s : samples) {
      switch (format.codec()) {
        case PCM16 -> {
          pending[pendingLength++] = (byte) s;
          pending[pendingLength++] = (byte) (s >> 8);
        }
        case MULAW -> pending[pendingLength++] = G711.linearToMulaw(s);
        case ALAW -> pending[pendingLength++] = G711.linearToAlaw(s);
        default -> throw new IllegalStateException("cannot encode " + format.codec());
      }
      if (pendingLength == pending.length) {
        frames.add(pending.clone());
        pendingLength = 0;
      }
    }
    return frames;
  }

  /** Decodes frames of {@code format} back to linear samples: for checks and for the audio cache's tests. */
  public static short[] decode(byte[] data, OutputFormat format) {
    int n = data.length / format.bytesPerSample();
    short[] out = new short[n];
    for (int i = 0; i < n; i++) {
      out[i] = switch (format.codec()) {
        case PCM16 -> (short) ((data[2 * i] & 0xFF) | (data[2 * i + 1] << 8));
        case MULAW -> G711.mulawToLinear(data[i]);
        case ALAW -> G711.alawToLinear(data[i]);
        default -> throw new IllegalStateException("cannot decode " + format.codec());
      };
    }
    return out;
  }
}
