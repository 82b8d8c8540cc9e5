package io.salesvoice.tts.audio;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the RIFF/WAVE header off a stream and leaves it at the first sample. Engines that stream (eSpeak NG writes
 * {@code 0x7ffff...} as the data size) are handled: the size is not trusted, the stream's end is.
 */
public record WavHeader(int sampleRate, int channels, int bitsPerSample) {

  public static WavHeader read(InputStream in) throws IOException {
    DataInputStream d = new DataInputStream(in);
    byte[] tag = new byte[4];
    d.readFully(tag);
    if (!new String(tag, java.nio.charset.StandardCharsets.US_ASCII).equals("RIFF")) {
      throw new IOException("not a RIFF stream");
    }
    d.readFully(new byte[4]);
    d.readFully(tag);
    if (!new String(tag, java.nio.charset.StandardCharsets.US_ASCII).equals("WAVE")) {
      throw new IOException("not a WAVE stream");
    }
    int rate = -1;
    int channels = -1;
    int bits = -1;
    while (true) {
      d.readFully(tag);
      String id = new String(tag, java.nio.charset.StandardCharsets.US_ASCII);
      int size = Integer.reverseBytes(d.readInt());
      if (id.equals("fmt ")) {
        byte[] fmt = new byte[size];
        d.readFully(fmt);
        int format = (fmt[0] & 0xFF) | (fmt[1] & 0xFF) << 8;
        if (format != 1) {
          throw new IOException("not linear PCM (format " + format + ")");
        }
        channels = (fmt[2] & 0xFF) | (fmt[3] & 0xFF) << 8;
        rate = (fmt[4] & 0xFF) | (fmt[5] & 0xFF) << 8 | (fmt[6] & 0xFF) << 16 | (fmt[7] & 0xFF) << 24;
        bits = (fmt[14] & 0xFF) | (fmt[15] & 0xFF) << 8;
      } else if (id.equals("data")) {
        if (rate < 0) {
          throw new IOException("data before fmt chunk");
        }
        return new WavHeader(rate, channels, bits);
      } else {
        d.skipNBytes(size + (size & 1));
      }
    }
  }
}
