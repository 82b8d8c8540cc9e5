package io.salesvoice.ingest.audio;

/**
 * Energy-based voice activity on the customer's inbound audio while the agent talks: speech is a run of frames
 * louder than a threshold lasting at least {@code minSpeechMs}, so a click or a cough does not cut the agent off.
 * Not thread-safe; one per call.
 */
public final class BargeInDetector {

  private final double thresholdDbfs;
  private final int minSpeechMs;
  private int speechMs;

  public BargeInDetector(double thresholdDbfs, int minSpeechMs) {
    this.thresholdDbfs = thresholdDbfs;
    this.minSpeechMs = minSpeechMs;
  }

  /**
   * Feeds one inbound PCM16 frame heard while the agent was playing; true once, when the customer's speech has
   * lasted long enough to count as a barge-in (then the detector starts over).
   */
  public boolean onFrame(byte[] pcm16, int durationMs) {
    if (Pcm16.rmsDbfs(pcm16) >= thresholdDbfs) {
      speechMs += durationMs;
      if (speechMs >= minSpeechMs) {
        speechMs = 0;
        return true;
      }
    } else {
      speechMs = 0;
    }
    return false;
  }

  /** Forgets partial speech, e.g. when the agent stops talking. */
  public void reset() {
    speechMs = 0;
  }
}
