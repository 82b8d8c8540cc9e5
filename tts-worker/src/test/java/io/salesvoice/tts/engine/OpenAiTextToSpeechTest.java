package io.salesvoice.tts.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.salesvoice.tts.audio.PcmBlock;
import io.salesvoice.tts.audio.Signals;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenAI speech adapter against a local server answering as {@code POST /v1/audio/speech} documents. */
class OpenAiTextToSpeechTest {

  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();
  private volatile Handler handler;
  private OpenAiTextToSpeech engine;

  interface Handler {
    void handle(HttpExchange exchange) throws IOException, InterruptedException;
  }

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/audio/speech", exchange -> {
      calls.incrementAndGet();
      requests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      try {
        handler.handle(exchange);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        exchange.close();
      }
    });
    server.start();
    engine = new OpenAiTextToSpeech(new OpenAiTextToSpeech.Settings(
        "http://127.0.0.1:" + server.getAddress().getPort() + "/v1", "sk-test", "gpt-4o-mini-tts",
        new Voices(Map.of("ru", "nova"), "alloy"), "Speak warmly.", 2, Duration.ofSeconds(10), 4));
  }

  @AfterEach
  void stop() {
    engine.close();
    server.stop(0);
  }

  @Test
  void streamsPcmAsItArrives() {
    CountDownLatch firstBlockSeen = new CountDownLatch(1);
    short[] tone = Signals.sine(440, 24000, 24000, 9000);   // one second
    handler = exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "audio/pcm");
      exchange.sendResponseHeaders(200, 0);   // chunked, as the API streams
      OutputStream out = exchange.getResponseBody();
      byte[] pcm = littleEndian(tone);
      out.write(pcm, 0, 4800);
      out.flush();
      // The rest is only sent once the client has the first block: a client that waited for the whole body hangs here.
      firstBlockSeen.await(5, TimeUnit.SECONDS);
      for (int i = 4800; i < pcm.length; i += 4801) {   // odd sizes: samples split across reads
        out.write(pcm, i, Math.min(4801, pcm.length - i));
        out.flush();
      }
    };

    List<PcmBlock> blocks = engine.synthesize(new SpeechRequest("Здравствуйте!", "ru-RU", null))
        .doOnNext(b -> firstBlockSeen.countDown())
        .collectList().block(Duration.ofSeconds(20));

    assertThat(firstBlockSeen.getCount()).isZero();
    assertThat(blocks).allSatisfy(b -> assertThat(b.sampleRate()).isEqualTo(24000));
    assertThat(SpeechAssertions.join(blocks)).isEqualTo(tone);
    assertThat(requests).hasSize(1);
    assertThat(requests.get(0)).contains("\"input\":\"Здравствуйте!\"").contains("\"voice\":\"nova\"")
        .contains("\"model\":\"gpt-4o-mini-tts\"").contains("\"response_format\":\"pcm\"")
        .contains("\"instructions\":\"Speak warmly.\"");
  }

  @Test
  void rateLimitsAreRetriedWithBackoffThenFailTheTurn() {
    handler = exchange -> error(exchange, 429, "rate_limit_exceeded", "Rate limit reached for requests");

    assertThatThrownBy(() -> engine.synthesize(SpeechRequest.of("Hello", "en")).blockLast(Duration.ofSeconds(30)))
        .isInstanceOf(SpeechSynthesisException.class)
        .hasMessageContaining("429");
    assertThat(calls.get()).isEqualTo(3);   // the first try and two retries
  }

  @Test
  void aRateLimitThatClearsIsInvisible() {
    short[] tone = Signals.sine(300, 24000, 2400, 5000);
    handler = exchange -> {
      if (calls.get() == 1) {
        error(exchange, 429, "rate_limit_exceeded", "slow down");
        return;
      }
      exchange.sendResponseHeaders(200, 0);
      exchange.getResponseBody().write(littleEndian(tone));
    };
    List<PcmBlock> blocks = engine.synthesize(SpeechRequest.of("Hello", "en")).collectList()
        .block(Duration.ofSeconds(30));
    assertThat(SpeechAssertions.join(blocks)).isEqualTo(tone);
    assertThat(calls.get()).isEqualTo(2);
    assertThat(requests.get(1)).contains("\"voice\":\"alloy\"");
  }

  @Test
  void aBadRequestIsNotRetried() {
    handler = exchange -> error(exchange, 400, "invalid_value", "Invalid voice");
    assertThatThrownBy(() -> engine.synthesize(SpeechRequest.of("Hello", "en")).blockLast(Duration.ofSeconds(30)))
        .isInstanceOf(SpeechSynthesisException.class)
        .hasMessageContaining("400");
    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void anUnreachableEndpointIsAnOutageWithAnIoCause() {
    server.stop(0);
    assertThatThrownBy(() -> engine.synthesize(SpeechRequest.of("Hello", "en")).blockLast(Duration.ofSeconds(60)))
        .satisfies(e -> assertThat(hasIoCause(e)).as("IOException among the causes of %s", e).isTrue());
  }

  private static boolean hasIoCause(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
    byte[] body = ("{\"error\":{\"message\":\"" + message + "\",\"type\":\"requests\",\"param\":null,\"code\":\""
        + code + "\"}}").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.getResponseHeaders().add("retry-after-ms", "20");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  private static byte[] littleEndian(short[] samples) {
    byte[] b = new byte[samples.length * 2];
    for (int i = 0; i < samples.length; i++) {
      b[2 * i] = (byte) samples[i];
      b[2 * i + 1] = (byte) (samples[i] >> 8);
    }
    return b;
  }
}
