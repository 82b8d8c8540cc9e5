package io.salesvoice.stt.turn;

import java.time.Duration;
import java.util.Objects;

/**
 * When an utterance starts and ends.
 *
 * @param endOfTurnSilence silence after speech that ends the customer's turn
 * @param minSpeech speech needed before an utterance starts (shorter blips — clicks, coughs — are ignored)
 * @param maxUtterance an utterance longer than this is cut, so a monologue still yields finals
 * @param speechGap silence that resets a start that has not reached {@code minSpeech} yet
 * @param preRoll audio before the detected start handed to the engine, so the first phoneme is not clipped
 */
public record TurnSettings(Duration endOfTurnSilence, Duration minSpeech, Duration maxUtterance, Duration speechGap,
    Duration preRoll) {

  public TurnSettings {
    Objects.requireNonNull(endOfTurnSilence, "endOfTurnSilence");
    Objects.requireNonNull(minSpeech, "minSpeech");
    Objects.requireNonNull(maxUtterance, "maxUtterance");
    speechGap = speechGap == null ? Duration.ofMillis(100) : speechGap;
    preRoll = preRoll == null ? Duration.ofMillis(200) : preRoll;
    if (endOfTurnSilence.isNegative() || endOfTurnSilence.isZero()) {
      throw new IllegalArgumentException("endOfTurnSilence must be positive");
    }
    if (minSpeech.isNegative() || preRoll.isNegative() || speechGap.isNegative()) {
      throw new IllegalArgumentException("minSpeech, speechGap and preRoll must not be negative");
    }
    if (maxUtterance.compareTo(minSpeech) <= 0) {
      throw new IllegalArgumentException("maxUtterance must be longer than minSpeech");
    }
  }

  /** 600 ms of silence ends a turn, 200 ms of speech starts one, 15 s at most. */
  public static TurnSettings defaults() {
    return new TurnSettings(Duration.ofMillis(600), Duration.ofMillis(200), Duration.ofSeconds(15), null, null);
  }
}
