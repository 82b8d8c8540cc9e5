package io.salesvoice.dialog.config;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code sva.dialog.*}: which engine talks, where scripts and FAQs live, and the stage's limits.
 *
 * @param engine                  {@code script} (embedded, offline) or {@code llm} (OpenAI-compatible chat)
 * @param timeZone                the campaign's time zone: "завтра в три" is three o'clock there
 * @param scripts                 extra script locations (Spring resource patterns) besides the built-in ones
 * @param knowledge               FAQ locations, {@code kb/<base>/<name>.<lang>.md}
 * @param concurrencyPerPartition calls of one partition answered at once
 * @param callStartWait           how long a transcript waits for its call's start event
 */
@ConfigurationProperties("sva.dialog")
public record DialogProperties(
    @DefaultValue("script") Engine engine,
    @DefaultValue("Europe/Moscow") String timeZone,
    @DefaultValue List<String> scripts,
    @DefaultValue("classpath*:kb/**/*.md") List<String> knowledge,
    @DefaultValue("1.0") float knowledgeMinScore,
    @DefaultValue("dialog-worker") String groupId,
    @DefaultValue("64") int concurrencyPerPartition,
    @DefaultValue("2s") Duration callStartWait,
    @DefaultValue("60s") Duration restoreTimeout,
    @DefaultValue Llm llm) {

  /** The dialog engines. */
  public enum Engine { SCRIPT, LLM }

  /**
   * The LLM engine: any OpenAI-compatible Chat Completions endpoint. The key comes from {@code OPENAI_API_KEY}
   * (or {@code sva.dialog.llm.api-key}) and is never logged.
   *
   * @param firstSentenceTimeout without a first sentence by then, the script's line is said instead
   * @param turnTimeout          the whole answer, tool calls included, must arrive by then
   */
  public record Llm(
      @DefaultValue("https://api.openai.com/v1") String baseUrl,
      @DefaultValue("gpt-4o-mini") String model,
      String apiKey,
      @DefaultValue("1500ms") Duration firstSentenceTimeout,
      @DefaultValue("8s") Duration turnTimeout,
      @DefaultValue("0.3") double temperature,
      @DefaultValue("300") long maxTokens) {

    @Override
    public String toString() {
      return "Llm[baseUrl=" + baseUrl + ", model=" + model + ", apiKey=" + (apiKey == null ? "unset" : "***") + "]";
    }
  }
}
