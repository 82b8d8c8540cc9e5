package io.salesvoice.stt.transcription;

import io.salesvoice.stt.turn.TurnSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * How calls are transcribed, independent of the engine.
 *
 * @param turns where utterances begin and end
 * @param vadThresholdDb level under which audio is never speech, dBFS
 * @param vadMarginDb how far above the line's noise floor speech must be, dB
 * @param partialInterval media time between partial transcripts of one utterance
 * @param defaultLanguage language of calls whose CallStarted has not been seen
 * @param idleTimeout a call with no audio for this long is flushed and forgotten
 */
public record TranscriptionSettings(TurnSettings turns, double vadThresholdDb, double vadMarginDb,
    Duration partialInterval, String defaultLanguage, Duration idleTimeout) {

  public TranscriptionSettings {
    Objects.requireNonNull(turns, "turns");
    Objects.requireNonNull(partialInterval, "partialInterval");
    Objects.requireNonNull(defaultLanguage, "defaultLanguage");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
  }

  public static TranscriptionSettings defaults() {
    return new TranscriptionSettings(TurnSettings.defaults(), -50, 12, Duration.ofMillis(300), "en-US",
        Duration.ofSeconds(30));
  }
}
