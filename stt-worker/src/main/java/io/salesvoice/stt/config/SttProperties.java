package io.salesvoice.stt.config;

import io.salesvoice.stt.engine.Sphinx4SpeechToText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code sva.stt.*}: the engine and how turns are detected. Defaults run the embedded stack (Sphinx4, English).
 *
 * @param engine {@code sphinx4} (default), {@code pocketsphinx}, {@code vosk} (user-supplied models) or {@code openai}
 * @param endOfTurnSilence silence that ends the customer's turn
 * @param minSpeech speech needed before an utterance starts
 * @param maxUtterance longest utterance before it is cut into a final
 * @param speechGap silence that resets a start shorter than {@code minSpeech}
 * @param preRoll audio before the detected start given to the engine
 * @param partialInterval media time between partial transcripts
 * @param vadThresholdDb level in dBFS under which audio is never speech
 * @param vadMarginDb decibels above the line's noise floor that speech must reach
 * @param defaultLanguage language of a call whose CallStarted was not seen
 * @param idleTimeout a call without audio for this long is flushed and forgotten
 * @param callsPerPartition calls of one partition transcribed at once
 * @param decoders utterances decoded at once by a local engine; 0 = one per core
 */
@ConfigurationProperties("sva.stt")
public record SttProperties(
    @DefaultValue("sphinx4") Engine engine,
    @DefaultValue("600ms") Duration endOfTurnSilence,
    @DefaultValue("200ms") Duration minSpeech,
    @DefaultValue("15s") Duration maxUtterance,
    @DefaultValue("100ms") Duration speechGap,
    @DefaultValue("200ms") Duration preRoll,
    @DefaultValue("300ms") Duration partialInterval,
    @DefaultValue("-50") double vadThresholdDb,
    @DefaultValue("12") double vadMarginDb,
    @DefaultValue("en-US") String defaultLanguage,
    @DefaultValue("30s") Duration idleTimeout,
    @DefaultValue("16") int callsPerPartition,
    @DefaultValue("0") int decoders,
    @DefaultValue Sphinx4 sphinx4,
    @DefaultValue PocketSphinx pocketsphinx,
    @DefaultValue Vosk vosk,
    @DefaultValue OpenAi openai) {

  /** The speech-to-text engines this worker can run. */
  public enum Engine { SPHINX4, POCKETSPHINX, VOSK, OPENAI }

  /** Cores, unless {@code decoders} says otherwise. */
  public int effectiveDecoders() {
    return decoders > 0 ? decoders : Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Sphinx4 tuning.
   *
   * @param absoluteBeamWidth hypotheses kept per frame; Sphinx4's default 20000 is slower than real time on 2 cores
   * @param partialFrames 10 ms frames decoded between partial hypotheses
   * @param acousticModel, dictionary, languageModel Sphinx4 paths ({@code resource:/...} or files); empty = bundled
   * @param grammar JSGF grammar decoded before the language model ({@code classpath:...} or a file); {@code none} for
   *     the language model alone
   * @param russianOutOfGrammar probability of declaring a Russian utterance outside the dialog's expected phrases
   *     (then it gets no transcript): higher rejects more free speech, and more answers with it
   */
  public record Sphinx4(
      @DefaultValue("3000") int absoluteBeamWidth,
      @DefaultValue("30") int partialFrames,
      String acousticModel,
      String dictionary,
      String languageModel,
      @DefaultValue(Sphinx4SpeechToText.Settings.SALES_ANSWERS_EN) String grammar,
      @DefaultValue("1e-25") double russianOutOfGrammar) {
  }

  /**
   * PocketSphinx library and model locations (Debian packages {@code pocketsphinx}, {@code pocketsphinx-en-us}).
   *
   * @param library the shared library as the dynamic linker finds it, or its path
   */
  public record PocketSphinx(
      @DefaultValue("libpocketsphinx.so.3") String library,
      @DefaultValue("/usr/share/pocketsphinx/model/en-us") Path modelDir) {
  }

  /**
   * Vosk models the user supplies (none can be shipped or downloaded here).
   *
   * @param models     unpacked model directory per language ({@code ru}, {@code en-US}, ...); the first also serves
   *                   languages without a model
   * @param sampleRate the rate the models were trained at (16 kHz for alphacephei's small models)
   */
  public record Vosk(Map<String, Path> models, @DefaultValue("16000") int sampleRate) {
  }

  /**
   * OpenAI (or a compatible service) transcription.
   *
   * @param apiKey the key (application.yml reads {@code OPENAI_API_KEY})
   * @param baseUrl the API root, e.g. a proxy or a compatible server
   * @param model e.g. {@code gpt-4o-mini-transcribe}, {@code gpt-4o-transcribe}, {@code whisper-1}
   * @param maxRetries retries of rate-limited or failed requests, with backoff, before the record is dead-lettered
   * @param concurrency requests in flight at once
   */
  public record OpenAi(
      String apiKey,
      @DefaultValue("https://api.openai.com/v1") String baseUrl,
      @DefaultValue("gpt-4o-mini-transcribe") String model,
      @DefaultValue("4") int maxRetries,
      @DefaultValue("30s") Duration timeout,
      @DefaultValue("8") int concurrency) {
  }
}
