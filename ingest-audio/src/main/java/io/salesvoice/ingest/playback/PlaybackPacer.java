package io.salesvoice.ingest.playback;

/**
 * Real-time pacing of the agent's audio: frames go out no faster than they play, keeping only {@code leadMs} of
 * audio queued at the provider, so a barge-in silences the agent within that lead (no burst-then-silence) and a
 * slow producer does not leave the caller in silence longer than it must. Times in milliseconds of a monotonic
 * clock the caller passes in; not thread-safe.
 */
public final class PlaybackPacer {

  private final long leadMs;
  private long playheadMs;
  private boolean playing;

  public PlaybackPacer(long leadMs) {
    this.leadMs = leadMs;
  }

  /** How long to wait before the next frame may be sent; 0 = now. */
  public long delayMs(long nowMs) {
    return playing ? Math.max(0, playheadMs - leadMs - nowMs) : 0;
  }

  /** Records that a frame of {@code durationMs} went out at {@code nowMs}. */
  public void sent(long nowMs, int durationMs) {
    playheadMs = (playing ? Math.max(playheadMs, nowMs) : nowMs) + durationMs;
    playing = true;
  }

  /** Audio sent but not yet heard by the caller at {@code nowMs}. */
  public long bufferedMs(long nowMs) {
    return playing ? Math.max(0, playheadMs - nowMs) : 0;
  }

  /** Whether the caller is hearing agent audio at {@code nowMs}. */
  public boolean isPlaying(long nowMs) {
    return bufferedMs(nowMs) > 0;
  }

  /** Forgets queued audio, e.g. after a barge-in cleared the provider's buffer. */
  public void reset() {
    playing = false;
    playheadMs = 0;
  }
}
