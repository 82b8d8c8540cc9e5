package io.salesvoice.stt.audio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reads and writes 16-bit PCM WAV files: test fixtures, replays, and the upload format of cloud engines. */
public final class Wav {

  /**
   * Decoded audio.
   *
   * @param channels one array of samples per channel (stereo recordings: customer and agent)
   */
  public record Audio(int sampleRate, short[][] channels) {

    public short[] mono() {
      return channels[0];
    }

    public long durationMs() {
      return channels[0].length * 1000L / sampleRate;
    }
  }

  private Wav() {
  }

  /** Parses a RIFF/WAVE file of 16-bit PCM (format 1 or WAVE_FORMAT_EXTENSIBLE), any rate and channel count. */
  public static Audio read(byte[] file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    if (file.length < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
      throw new IOException("not a RIFF/WAVE file");
    }
    int pos = 12;
    int channels = 0;
    int rate = 0;
    int bits = 0;
    while (pos + 8 <= file.length) {
      int id = b.getInt(pos);
      int size = b.getInt(pos + 4);
      int body = pos + 8;
      if (id == 0x20746d66) {   // "fmt "
        int format = b.getShort(body) & 0xffff;
        channels = b.getShort(body + 2);
        rate = b.getInt(body + 4);
        bits = b.getShort(body + 14);
        if ((format != 1 && format != 0xfffe) || bits != 16) {
          throw new IOException("only 16-bit PCM WAV is supported (format " + format + ", " + bits + " bits)");
        }
      } else if (id == 0x61746164) {   // "data"
        if (channels == 0) {
          throw new IOException("WAV data chunk before its fmt chunk");
        }
        // streamed WAVs (espeak-ng to a pipe) write 0 or -1 as the data size: take the rest of the file
        int length = size <= 0 || body + size > file.length ? file.length - body : size;
        int frames = length / (2 * channels);
        short[][] out = new short[channels][frames];
        for (int i = 0; i < frames; i++) {
          for (int c = 0; c < channels; c++) {
            out[c][i] = b.getShort(body + 2 * (i * channels + c));
          }
        }
        return new Audio(rate, out);
      }
      pos = body + size + (size & 1);
      if (size < 0) {
        break;
      }
    }
    throw new IOException("WAV file has no data chunk");
  }

  /** A mono 16-bit PCM WAV file. */
  public static byte[] write(short[] samples, int sampleRate) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(44 + samples.length * 2);
    ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(0x46464952).putInt(36 + samples.length * 2).putInt(0x45564157);
    h.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) 1).putInt(sampleRate)
        .putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16);
    h.putInt(0x61746164).putInt(samples.length * 2);
    out.writeBytes(h.array());
    out.writeBytes(Pcm.toLittleEndian(samples));
    return out.toByteArray();
  }
}
