package io.salesvoice.stt.engine;

import java.io.InputStream;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Hands audio from the pipeline's non-blocking side to a blocking decoder: {@link #write} never blocks; the decoder
 * thread reads a little-endian PCM {@link InputStream} that blocks until audio arrives and ends at {@link #close}.
 */
public final class AudioPipe extends InputStream {

  private static final byte[] END = new byte[0];

  private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
  private byte[] current = new byte[0];
  private int position;
  private boolean ended;
  private volatile boolean closed;

  /** Appends the samples as little-endian bytes; ignored once closed. */
  public void write(short[] samples) {
    if (closed || samples.length == 0) {
      return;
    }
    byte[] bytes = new byte[samples.length * 2];
    for (int i = 0; i < samples.length; i++) {
      bytes[2 * i] = (byte) samples[i];
      bytes[2 * i + 1] = (byte) (samples[i] >> 8);
    }
    chunks.add(bytes);
  }

  /** Ends the stream: the reader gets the audio written so far, then end of file. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      chunks.add(END);
    }
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    while (position == current.length) {
      if (ended) {
        return -1;
      }
      try {
        current = chunks.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ended = true;
        return -1;
      }
      position = 0;
      if (current == END) {
        ended = true;
        return -1;
      }
    }
    int n = Math.min(len, current.length - position);
    System.arraycopy(current, position, b, off, n);
    position += n;
    return n;
  }

  @Override
  public int available() {
    return current.length - position;
  }
}
