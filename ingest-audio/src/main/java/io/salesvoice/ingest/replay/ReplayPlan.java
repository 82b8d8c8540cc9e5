package io.salesvoice.ingest.replay;

import io.salesvoice.ingest.audio.AudioFormat;
import io.salesvoice.ingest.audio.Pcm16;
import io.salesvoice.ingest.audio.Resampler;
import io.salesvoice.ingest.audio.WavFile;
import io.salesvoice.schema.audio.Channel;
import java.util.ArrayList;
import java.util.List;

/**
 * A recording cut into the chunks a replay sends: each channel converted to the pipeline's PCM16 format and cut into
 * fixed-length pieces; a stereo recording's left channel is one speaker (the agent by default) and its right channel
 * the other. Chunks are ordered by media time, agent and customer interleaved as they were spoken. Plain Java.
 */
public final class ReplayPlan {

  /** One chunk to send: channel, seq within the channel, media time, PCM16 bytes. */
  public record Piece(Channel channel, long seq, long mediaTimeMs, byte[] data) {
  }

  private final List<Piece> pieces;
  private final long durationMs;

  private ReplayPlan(List<Piece> pieces, long durationMs) {
    this.pieces = pieces;
    this.durationMs = durationMs;
  }

  public static ReplayPlan of(WavFile wav, AudioFormat target, int chunkMs, Channel leftChannel) {
    short[][] channels = wav.channelSamples();
    Channel[] who = channels.length == 1
        ? new Channel[] {Channel.CUSTOMER}
        : new Channel[] {leftChannel, leftChannel == Channel.AGENT ? Channel.CUSTOMER : Channel.AGENT};
    int samplesPerChunk = target.sampleRate() / 1000 * chunkMs;
    List<short[]> converted = new ArrayList<>();
    for (short[] c : channels) {
      converted.add(Resampler.resampleWhole(c, wav.sampleRate(), target.sampleRate()));
    }
    int length = converted.get(0).length;
    List<Piece> pieces = new ArrayList<>();
    long seq = 0;
    for (int start = 0; start < length; start += samplesPerChunk, seq++) {
      int n = Math.min(samplesPerChunk, length - start);
      long mediaTime = (long) start * 1000 / target.sampleRate();
      for (int c = 0; c < converted.size(); c++) {
        byte[] data = new byte[n * 2];
        short[] samples = converted.get(c);
        for (int i = 0; i < n; i++) {
          Pcm16.put(data, i, samples[start + i]);
        }
        pieces.add(new Piece(who[c], seq, mediaTime, data));
      }
    }
    return new ReplayPlan(List.copyOf(pieces), (long) length * 1000 / target.sampleRate());
  }

  public List<Piece> pieces() {
    return pieces;
  }

  public long durationMs() {
    return durationMs;
  }
}
