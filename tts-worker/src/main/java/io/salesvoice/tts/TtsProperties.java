package io.salesvoice.tts;

import io.salesvoice.schema.audio.AudioCodec;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code sva.tts.*}: the engine and its voices, the format of calls whose start was not seen, and the worker's bounds.
 * The defaults run offline with eSpeak NG.
 *
 * @param engine                  {@code espeak} (default; FreeTTS when espeak-ng is not installed), {@code freetts},
 *                                {@code festival} or {@code openai}
 * @param defaultCodec            codec of a call whose {@code CallStarted} was not seen
 * @param defaultSampleRate       its rate
 * @param callInfoWait            how long a turn waits for its call's {@code CallStarted}
 * @param concurrencyPerPartition calls of one partition spoken at once
 * @param maxCalls                calls remembered (format, seqs, spoken chunks) at most
 * @param callIdleTimeout         a call not heard of for this long is forgotten
 * @param instanceId              names this instance's own call-events consumer group (default: the host name)
 * @param callsOffsetReset        where a new call-events group starts reading: {@code latest} or {@code earliest}
 * @param campaignVoices          campaign id → language → voice of the configured engine (voice per campaign), for
 *                                turns that do not name a voice themselves
 */
@ConfigurationProperties("sva.tts")
public record TtsProperties(
    @DefaultValue("espeak") Engine engine,
    @DefaultValue("MULAW") AudioCodec defaultCodec,
    @DefaultValue("8000") int defaultSampleRate,
    @DefaultValue("300ms") Duration callInfoWait,
    @DefaultValue("16") int concurrencyPerPartition,
    @DefaultValue("100000") int maxCalls,
    @DefaultValue("2h") Duration callIdleTimeout,
    String instanceId,
    @DefaultValue("latest") String callsOffsetReset,
    Map<String, Map<String, String>> campaignVoices,
    @DefaultValue Cache cache,
    @DefaultValue Espeak espeak,
    @DefaultValue FreeTts freetts,
    @DefaultValue Festival festival,
    @DefaultValue OpenAi openai) {

  /** The engines behind the {@code TextToSpeech} port. */
  public enum Engine { ESPEAK, FREETTS, FESTIVAL, OPENAI }

  /** Repeated lines: total bytes of encoded audio kept, and the longest line kept. */
  public record Cache(@DefaultValue("33554432") long maxBytes, @DefaultValue("160000") int maxEntryBytes) {
  }

  /** eSpeak NG: voice per language (e.g. {@code ru: ru}, {@code en: en-us}). */
  public record Espeak(@DefaultValue("espeak-ng") String executable, Map<String, String> voices,
                       @DefaultValue("en-us") String defaultVoice, @DefaultValue("165") int wordsPerMinute,
                       @DefaultValue("50") int pitch, @DefaultValue("2") int warmProcesses,
                       @DefaultValue("4") int maxConcurrency) {
  }

  /** FreeTTS: English only. */
  public record FreeTts(@DefaultValue("kevin16") String voice, @DefaultValue("150") float wordsPerMinute,
                        @DefaultValue("2") int maxConcurrency) {
  }

  /** Festival: voice per language (e.g. {@code ru: msu_ru_nsh_clunits}). */
  public record Festival(@DefaultValue("festival") String executable, Map<String, String> voices,
                         @DefaultValue("msu_ru_nsh_clunits") String defaultVoice,
                         @DefaultValue("2") int maxConcurrency) {
  }

  /** OpenAI speech or any compatible endpoint. */
  public record OpenAi(@DefaultValue("https://api.openai.com/v1") String baseUrl, String apiKey,
                       @DefaultValue("gpt-4o-mini-tts") String model, Map<String, String> voices,
                       @DefaultValue("alloy") String defaultVoice, String instructions,
                       @DefaultValue("3") int maxRetries, @DefaultValue("30s") Duration timeout,
                       @DefaultValue("16") int maxConcurrency) {
  }
}
