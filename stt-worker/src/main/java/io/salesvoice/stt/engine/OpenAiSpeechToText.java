package io.salesvoice.stt.engine;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.MultipartField;
import com.openai.models.audio.AudioResponseFormat;
import com.openai.models.audio.transcriptions.Transcription;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionInclude;
import io.salesvoice.stt.audio.Wav;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * OpenAI transcription (or any service speaking its {@code /v1/audio/transcriptions} API, by base URL): the choice for
 * Russian, which no offline model here covers. The utterance is buffered and sent as a WAV file when the turn ends;
 * the client retries rate limits and server errors with backoff, a failure left after that becomes a dead letter
 * (an unreachable service is retried by the stage instead). No partial hypotheses.
 */
public final class OpenAiSpeechToText implements SpeechToText {

  /**
   * The service.
   *
   * @param baseUrl e.g. {@code https://api.openai.com/v1}
   * @param model e.g. {@code gpt-4o-mini-transcribe}, {@code whisper-1}
   * @param maxRetries retries of a rate-limited or failed request, with the client's exponential backoff
   * @param concurrency requests in flight at once (threads of the {@code openai-stt} scheduler)
   */
  public record Settings(String apiKey, String baseUrl, String model, int maxRetries, Duration timeout,
      int concurrency) {

    public Settings {
      Objects.requireNonNull(baseUrl, "baseUrl");
      Objects.requireNonNull(model, "model");
      timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be at least 1");
      }
    }
  }

  private final Settings settings;
  private final OpenAIClient client;
  private final Scheduler scheduler;

  public OpenAiSpeechToText(Settings settings) {
    if (settings.apiKey() == null || settings.apiKey().isBlank()) {
      throw new IllegalStateException("sva.stt.openai.api-key (OPENAI_API_KEY) is required for the openai engine");
    }
    this.settings = settings;
    this.client = OpenAIOkHttpClient.builder()
        .apiKey(settings.apiKey())
        .baseUrl(settings.baseUrl())
        .maxRetries(settings.maxRetries())
        .timeout(settings.timeout())
        .build();
    this.scheduler = DecodingThreads.fifo("openai-stt", settings.concurrency());
  }

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public int sampleRate() {
    return 16_000;
  }

  @Override
  public Session open(String language) {
    return new BufferedSession(language);
  }

  @Override
  public void close() {
    scheduler.dispose();
    client.close();
  }

  /** {@code ru-RU} to {@code ru}: the API takes ISO 639-1 codes. */
  static String isoLanguage(String bcp47) {
    if (bcp47 == null || bcp47.isBlank()) {
      return null;
    }
    return bcp47.split("[-_]")[0].toLowerCase(Locale.ROOT);
  }

  private Hypothesis transcribe(byte[] wav, String language) {
    TranscriptionCreateParams.Builder params = TranscriptionCreateParams.builder()
        .file(MultipartField.<InputStream>builder()
            .value(new ByteArrayInputStream(wav))
            .filename("utterance.wav")
            .contentType("audio/wav")
            .build())
        .model(settings.model())
        .responseFormat(AudioResponseFormat.JSON);
    String iso = isoLanguage(language);
    if (iso != null) {
      params.language(iso);
    }
    boolean logprobs = settings.model().startsWith("gpt-4o");
    if (logprobs) {
      // only the gpt-4o transcription models return token log probabilities; they give the confidence
      params.include(List.of(TranscriptionInclude.LOGPROBS));
    }
    Transcription t = client.audio().transcriptions().create(params.build()).asTranscription();
    return new Hypothesis(t.text(), confidence(t));
  }

  static float confidence(Transcription t) {
    List<Transcription.Logprob> probs = t.logprobs().orElse(List.of());
    double sum = 0;
    int n = 0;
    for (Transcription.Logprob p : probs) {
      if (p.logprob().isPresent()) {
        sum += p.logprob().get();
        n++;
      }
    }
    if (n == 0) {
      return 1f;
    }
    return (float) Math.max(0, Math.min(1, Math.exp(sum / n)));
  }

  private final class BufferedSession implements Session {
    private final String language;
    private short[] audio = new short[16_000 * 4];
    private int length;

    BufferedSession(String language) {
      this.language = language;
    }

    @Override
    public void accept(short[] samples) {
      if (length + samples.length > audio.length) {
        audio = java.util.Arrays.copyOf(audio, Math.max(audio.length * 2, length + samples.length));
      }
      System.arraycopy(samples, 0, audio, length, samples.length);
      length += samples.length;
    }

    @Override
    public Mono<Hypothesis> finish() {
      byte[] wav = Wav.write(java.util.Arrays.copyOf(audio, length), 16_000);
      audio = new short[0];
      // deferred: each subscription is one more request, so a record the stage retries is transcribed again
      return Mono.fromCallable(() -> transcribe(wav, language)).subscribeOn(scheduler);
    }

    @Override
    public void cancel() {
      audio = new short[0];
      length = 0;
    }
  }
}
