package io.salesvoice.stt.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.salesvoice.stt.audio.Wav;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenAI adapter against a local server answering as {@code POST /v1/audio/transcriptions} is documented to. */
class OpenAiSpeechToTextTest {

  private HttpServer server;
  private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private OpenAiSpeechToText engine;

  private record Reply(int status, String body, String retryAfterMs) {
  }

  private record Request(String path, String authorization, String contentType, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.ISO_8859_1);
    }
  }

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/audio/transcriptions", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    if (engine != null) {
      engine.close();
    }
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.add(new Request(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("Authorization"),
        exchange.getRequestHeaders().getFirst("Content-Type"), exchange.getRequestBody().readAllBytes()));
    Reply reply = replies.size() > 1 ? replies.poll() : replies.peek();
    byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    if (reply.retryAfterMs() != null) {
      exchange.getResponseHeaders().add("retry-after-ms", reply.retryAfterMs());
    }
    exchange.sendResponseHeaders(reply.status(), body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private OpenAiSpeechToText engine(String model, int maxRetries) {
    String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    engine = new OpenAiSpeechToText(new OpenAiSpeechToText.Settings("sk-test", base, model, maxRetries,
        Duration.ofSeconds(10), 2));
    return engine;
  }

  private static short[] tone(int ms) {
    short[] s = new short[16 * ms];
    for (int i = 0; i < s.length; i++) {
      s[i] = (short) (3000 * Math.sin(2 * Math.PI * 220 * i / 16000.0));
    }
    return s;
  }

  @Test
  void sendsTheUtteranceAsAWavWithModelAndLanguageAndReadsTextAndConfidence() throws IOException {
    replies.add(new Reply(200, """
        {"text": "Да, интересно", "logprobs": [
          {"token": "Да", "logprob": -0.05, "bytes": [208, 148, 208, 176]},
          {"token": ", интересно", "logprob": -0.15, "bytes": [44]}],
         "usage": {"type": "duration", "seconds": 1}}
        """, null));
    SpeechToText.Session session = engine("gpt-4o-mini-transcribe", 0).open("ru-RU");
    session.accept(tone(300));
    session.accept(tone(200));
    SpeechToText.Hypothesis h = session.finish().block(Duration.ofSeconds(20));

    assertThat(h.text()).isEqualTo("Да, интересно");
    assertThat(h.confidence()).isCloseTo((float) Math.exp(-0.1), org.assertj.core.data.Offset.offset(0.001f));
    assertThat(requests).singleElement().satisfies(r -> {
      assertThat(r.path()).isEqualTo("/v1/audio/transcriptions");
      assertThat(r.authorization()).isEqualTo("Bearer sk-test");
      assertThat(r.contentType()).startsWith("multipart/form-data");
      assertThat(r.text()).contains("name=\"model\"").contains("gpt-4o-mini-transcribe")
          .contains("name=\"language\"").contains("\r\n\r\nru\r\n")
          .contains("name=\"response_format\"").contains("json")
          .contains("logprobs")
          .contains("filename=\"utterance.wav\"");
      Wav.Audio wav = Wav.read(wavPart(r.body()));
      assertThat(wav.sampleRate()).isEqualTo(16_000);
      assertThat(wav.mono()).hasSize(16 * 500);
    });
  }

  @Test
  void whisperGetsNoLogprobsAndAnswersWithoutAScoreGiveFullConfidence() {
    replies.add(new Reply(200, "{\"text\": \"yes please\"}", null));
    SpeechToText.Session session = engine("whisper-1", 0).open("en-US");
    session.accept(tone(100));
    SpeechToText.Hypothesis h = session.finish().block(Duration.ofSeconds(20));
    assertThat(h).isEqualTo(new SpeechToText.Hypothesis("yes please", 1f));
    assertThat(requests.get(0).text()).doesNotContain("logprobs").contains("\r\n\r\nen\r\n");
  }

  @Test
  void rateLimitsAreRetriedWithBackoffUntilTheServiceAnswers() {
    replies.add(new Reply(429, rateLimitBody(), "20"));
    replies.add(new Reply(429, rateLimitBody(), "20"));
    replies.add(new Reply(200, "{\"text\": \"call me tomorrow\"}", null));
    SpeechToText.Session session = engine("whisper-1", 3).open("en-US");
    session.accept(tone(100));
    assertThat(session.finish().block(Duration.ofSeconds(30)).text()).isEqualTo("call me tomorrow");
    assertThat(requests).hasSize(3);
  }

  @Test
  void aRateLimitThatOutlastsTheRetriesFailsAsAPermanentErrorForTheDeadLetterTopic() {
    replies.add(new Reply(429, rateLimitBody(), "10"));
    SpeechToText.Session session = engine("whisper-1", 2).open("en-US");
    session.accept(tone(100));
    assertThatThrownBy(() -> session.finish().block(Duration.ofSeconds(30)))
        .isInstanceOf(RateLimitException.class)
        .satisfies(e -> assertThat(hasIoCause(e)).as("an IOException would make the stage retry forever").isFalse());
    assertThat(requests).hasSize(3);
  }

  @Test
  void aRejectedKeyIsNotRetried() {
    replies.add(new Reply(401, """
        {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error", "code": "invalid_api_key"}}
        """, null));
    SpeechToText.Session session = engine("whisper-1", 3).open("en-US");
    session.accept(tone(100));
    assertThatThrownBy(() -> session.finish().block(Duration.ofSeconds(30)))
        .isInstanceOf(UnauthorizedException.class).hasMessageContaining("Incorrect API key");
    assertThat(requests).hasSize(1);
  }

  @Test
  void resubscribingTheFinalSendsTheUtteranceAgain() {
    replies.add(new Reply(500, "{\"error\": {\"message\": \"overloaded\", \"type\": \"server_error\"}}", null));
    replies.add(new Reply(200, "{\"text\": \"second time lucky\"}", null));
    SpeechToText.Session session = engine("whisper-1", 0).open("en-US");
    session.accept(tone(100));
    var result = session.finish();
    assertThatThrownBy(() -> result.block(Duration.ofSeconds(30))).hasMessageContaining("overloaded");
    assertThat(result.block(Duration.ofSeconds(30)).text()).isEqualTo("second time lucky");
  }

  @Test
  void aMissingKeyIsAConfigurationError() {
    assertThatThrownBy(() -> new OpenAiSpeechToText(new OpenAiSpeechToText.Settings("", "http://x/v1", "whisper-1",
        0, null, 1))).isInstanceOf(IllegalStateException.class).hasMessageContaining("api-key");
  }

  @Test
  void languageTagsBecomeIsoCodes() {
    assertThat(OpenAiSpeechToText.isoLanguage("ru-RU")).isEqualTo("ru");
    assertThat(OpenAiSpeechToText.isoLanguage("EN_us")).isEqualTo("en");
    assertThat(OpenAiSpeechToText.isoLanguage("")).isNull();
  }

  private static String rateLimitBody() {
    return "{\"error\": {\"message\": \"Rate limit reached for requests\", \"type\": \"requests\", "
        + "\"code\": \"rate_limit_exceeded\"}}";
  }

  private static boolean hasIoCause(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  /** The bytes of the multipart part that holds the WAV file. */
  private static byte[] wavPart(byte[] body) {
    String s = new String(body, StandardCharsets.ISO_8859_1);
    int riff = s.indexOf("RIFF");
    int end = s.indexOf("\r\n--", riff);
    byte[] out = new byte[end - riff];
    System.arraycopy(body, riff, out, 0, out.length);
    return out;
  }
}
