package io.salesvoice.tts.engine;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.audio.speech.SpeechCreateParams;
import io.salesvoice.tts.audio.PcmBlock;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * OpenAI speech ({@code /v1/audio/speech}) through {@code openai-java}, any OpenAI-compatible endpoint by base URL.
 * Asks for raw PCM (24 kHz, 16-bit little-endian mono) and reads the body while it streams in, so the first frame leaves
 * before the whole sentence is downloaded. The SDK retries rate limits and server errors with backoff; what still fails
 * is a {@link SpeechSynthesisException} (the turn is dead-lettered), while an unreachable endpoint keeps its
 * {@link IOException} cause (an outage: the stage retries).
 */
public final class OpenAiTextToSpeech implements TextToSpeech {

  /** What {@code response_format=pcm} returns. */
  public static final int PCM_RATE = 24_000;
  private static final int READ_BYTES = 4800;   // 100 ms; a read returns what has arrived sooner

  /**
   * @param baseUrl        e.g. {@code https://api.openai.com/v1}
   * @param model          {@code gpt-4o-mini-tts}, {@code tts-1}, …
   * @param voices         voice per language ({@code alloy}, {@code nova}, …)
   * @param instructions   how to speak (gpt-4o-mini-tts only), or null
   * @param maxRetries     SDK retries of 408/409/429/5xx and connection failures, with exponential backoff
   */
  public record Settings(String baseUrl, String apiKey, String model, Voices voices, String instructions,
                         int maxRetries, Duration timeout, int maxConcurrency) {

    public static Settings defaults(String apiKey) {
      return new Settings("https://api.openai.com/v1", apiKey, "gpt-4o-mini-tts",
          new Voices(Map.of(), "alloy"), null, 3, Duration.ofSeconds(30), 16);
    }
  }

  private final Settings settings;
  private final OpenAIClient client;
  private final Scheduler scheduler;

  public OpenAiTextToSpeech(Settings settings) {
    this.settings = settings;
    if (settings.apiKey() == null || settings.apiKey().isBlank()) {
      throw new IllegalArgumentException("sva.tts.openai.api-key (OPENAI_API_KEY) is not set");
    }
    this.client = OpenAIOkHttpClient.builder()
        .baseUrl(settings.baseUrl())
        .apiKey(settings.apiKey())
        .maxRetries(settings.maxRetries())
        .timeout(settings.timeout())
        .build();
    this.scheduler = Schedulers.newBoundedElastic(settings.maxConcurrency(), 10_000, "tts-openai", 60, true);
  }

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public Flux<PcmBlock> synthesize(SpeechRequest request) {
    SpeechCreateParams.Builder params = SpeechCreateParams.builder()
        .model(settings.model())
        .voice(settings.voices().resolve(request))
        .input(request.text())
        .responseFormat(SpeechCreateParams.ResponseFormat.PCM);
    if (settings.instructions() != null && !settings.instructions().isBlank()) {
      params.instructions(settings.instructions());
    }
    return Flux.using(() -> call(params.build()), this::read, HttpResponse::close)
        .subscribeOn(scheduler);
  }

  private HttpResponse call(SpeechCreateParams params) {
    try {
      return client.audio().speech().create(params);
    } catch (OpenAIServiceException e) {
      throw new SpeechSynthesisException("OpenAI speech answered " + e.statusCode() + ": " + e.getMessage(), e);
    } catch (OpenAIIoException e) {
      throw e;   // carries the IOException: the endpoint is unreachable, the stage retries the turn
    }
  }

  private Flux<PcmBlock> read(HttpResponse response) {
    InputStream body = response.body();
    byte[] buffer = new byte[READ_BYTES + 1];
    int[] carry = {-1};
    return Flux.generate(sink -> {
      try {
        int offset = 0;
        if (carry[0] >= 0) {
          buffer[0] = (byte) carry[0];
          offset = 1;
          carry[0] = -1;
        }
        int n = body.read(buffer, offset, READ_BYTES);
        if (n < 0) {
          sink.complete();
          return;
        }
        int length = offset + n;
        if ((length & 1) == 1) {
          carry[0] = buffer[length - 1] & 0xFF;
          length--;
        }
        sink.next(new PcmBlock(PCM_RATE, PcmBlock.littleEndian(buffer, 0, length)));
      } catch (IOException e) {
        sink.error(new UncheckedIOException("OpenAI speech stream broke", e));
      }
    });
  }

  @Override
  public void close() {
    client.close();
    scheduler.dispose();
  }
}
