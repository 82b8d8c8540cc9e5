package io.salesvoice.stt.turn;

/**
 * Tells speech from silence frame by frame by energy against an adaptive noise floor, so a line with steady hiss or
 * a quiet caller is judged relative to its own background. One instance per audio stream; not thread-safe.
 */
public final class VoiceActivityDetector {

  /** Below this level a frame is silence whatever the noise floor says (digital silence, comfort noise). */
  private final double absoluteThresholdDb;
  /** How far above the noise floor a frame must be to count as speech. */
  private final double marginDb;
  private double noiseFloorDb;
  private int frames;
  /** Levels of the last frames: a level that hardly moves for a second is background, whatever its loudness. */
  private final double[] recent = new double[STATIONARY_FRAMES];
  private static final int STATIONARY_FRAMES = 50;
  private static final double STATIONARY_SPREAD_DB = 6;

  /**
   * @param absoluteThresholdDb level in dBFS under which a frame is never speech, e.g. -50
   * @param marginDb decibels above the tracked noise floor a frame must reach to be speech, e.g. 12
   */
  public VoiceActivityDetector(double absoluteThresholdDb, double marginDb) {
    if (marginDb < 0) {
      throw new IllegalArgumentException("marginDb must not be negative: " + marginDb);
    }
    this.absoluteThresholdDb = absoluteThresholdDb;
    this.marginDb = marginDb;
    this.noiseFloorDb = absoluteThresholdDb - marginDb;
  }

  /** Defaults for telephone speech: -50 dBFS absolute threshold, 12 dB above the noise floor. */
  public static VoiceActivityDetector telephony() {
    return new VoiceActivityDetector(-50, 12);
  }

  /** Whether the frame holds speech; updates the noise floor. */
  public boolean isSpeech(short[] frame) {
    return isSpeech(frame, 0, frame.length);
  }

  /** Whether {@code length} samples of {@code samples} from {@code offset} hold speech; updates the noise floor. */
  public boolean isSpeech(short[] samples, int offset, int length) {
    double level = levelDb(samples, offset, length);
    recent[frames % STATIONARY_FRAMES] = level;
    if (frames >= STATIONARY_FRAMES - 1) {
      // Speech swings by tens of decibels between syllables; hiss, hum and line noise do not.
      double min = Double.MAX_VALUE;
      double max = -Double.MAX_VALUE;
      double sum = 0;
      for (double l : recent) {
        min = Math.min(min, l);
        max = Math.max(max, l);
        sum += l;
      }
      if (max - min < STATIONARY_SPREAD_DB) {
        noiseFloorDb = Math.max(noiseFloorDb, sum / STATIONARY_FRAMES);
      }
    }
    boolean speech = level >= absoluteThresholdDb && level >= noiseFloorDb + marginDb;
    frames++;
    // The floor falls fast (a pause reveals the real background) and rises slowly (speech must not raise it).
    if (level < noiseFloorDb) {
      noiseFloorDb += (level - noiseFloorDb) * 0.5;
    } else if (!speech) {
      noiseFloorDb += (level - noiseFloorDb) * (frames < 25 ? 0.2 : 0.02);
    } else {
      noiseFloorDb += (level - noiseFloorDb) * 0.001;
    }
    return speech;
  }

  /** The background level the detector currently assumes, in dBFS. */
  public double noiseFloorDb() {
    return noiseFloorDb;
  }

  /** Root-mean-square level in dB relative to full scale; -120 for digital silence or no samples. */
  public static double levelDb(short[] samples, int offset, int length) {
    if (length <= 0) {
      return -120;
    }
    double sum = 0;
    double mean = 0;
    for (int i = offset; i < offset + length; i++) {
      mean += samples[i];
    }
    mean /= length;   // remove DC offset: some gateways send a constant bias
    for (int i = offset; i < offset + length; i++) {
      double s = samples[i] - mean;
      sum += s * s;
    }
    double rms = Math.sqrt(sum / length) / 32768.0;
    return rms <= 1e-6 ? -120 : Math.max(-120, 20 * Math.log10(rms));
  }
}
