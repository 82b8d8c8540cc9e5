package io.salesvoice.stt;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.schema.audio.AudioChunk;
import io.salesvoice.schema.audio.AudioCodec;
import io.salesvoice.schema.audio.Channel;
import io.salesvoice.schema.call.CallDirection;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.call.CallStarted;
import io.salesvoice.schema.transcript.Transcript;
import io.salesvoice.stt.audio.Pcm;
import io.salesvoice.stt.engine.SpeechToText;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole worker as deployed: Spring Boot, the catalogue's topics, engine chosen by {@code sva.stt.engine} (OpenAI,
 * answered by a local server as the real API answers), the Prometheus endpoint with {@code sva.stt.latency}.
 */
@ExtendWith(LocalStackExtension.class)
class SttWorkerApplicationTest {

  @Test
  void transcribesACallFromTheCatalogueTopicsInTheCallsLanguage(KafkaStack stack) throws Exception {
    List<String> uploads = new CopyOnWriteArrayList<>();
    HttpServer openai = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    openai.createContext("/v1/audio/transcriptions", exchange -> {
      uploads.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1));
      byte[] body = "{\"text\": \"Да, это интересно\"}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    openai.start();
    try (ConfigurableApplicationContext app = new SpringApplicationBuilder(SttWorkerApplication.class)
        .run(
            "--sva.kafka.bootstrap-servers=" + stack.bootstrapServers(),
            "--sva.kafka.schema-registry-url=" + stack.schemaRegistryUrl(),
            "--sva.kafka.replication-factor=1",
            "--sva.stt.engine=openai",
            "--sva.stt.openai.api-key=sk-local",
            "--sva.stt.openai.base-url=http://127.0.0.1:" + openai.getAddress().getPort() + "/v1",
            "--sva.stt.openai.model=whisper-1",
            "--server.port=0");
         StackClients clients = new StackClients(stack)) {
      assertThat(app.getBean(SpeechToText.class).name()).isEqualTo("openai");
      String callId = "call-" + UUID.randomUUID();
      clients.send(Topics.CALLS, callId, CallEvent.newBuilder()
          .setCallId(callId).setEventId("e1").setOccurredAt(Instant.now())
          .setEvent(CallStarted.newBuilder().setDirection(CallDirection.INBOUND).setProvider("simulated")
              .setLanguage("ru-RU").setCodec(AudioCodec.ALAW).setSampleRate(8000).setGatewayInstance("gw")
              .setReplyPartition(0).build())
          .build());
      // wait until the worker knows the call's language: sva.calls and sva.audio.in are consumed independently
      Thread.sleep(3000);
      long seq = 0;
      for (short[] frame : syllables(8000, 300, 1200, 900)) {
        byte[] data = new byte[frame.length];
        for (int i = 0; i < frame.length; i++) {
          data[i] = Pcm.encodeAlaw(frame[i]);
        }
        clients.send(Topics.AUDIO_IN, callId, AudioChunk.newBuilder().setCallId(callId).setSeq(seq)
            .setChannel(Channel.CUSTOMER).setCodec(AudioCodec.ALAW).setSampleRate(8000).setMediaTimeMs(seq * 20)
            .setDurationMs(20).setData(ByteBuffer.wrap(data)).setProducedAt(Instant.now()).build());
        seq++;
      }

      List<Transcript> out = List.of();
      Instant deadline = Instant.now().plusSeconds(60);
      while (Instant.now().isBefore(deadline) && out.stream().noneMatch(Transcript::getIsFinal)) {
        out = clients.read(Topics.TRANSCRIPTS, Integer.MAX_VALUE, Duration.ofSeconds(2)).stream()
            .filter(r -> callId.equals(r.key())).map(r -> (Transcript) r.value()).toList();
      }
      assertThat(out).singleElement().satisfies(t -> {
        assertThat(t.getIsFinal()).isTrue();
        assertThat(t.getText()).isEqualTo("Да, это интересно");
        assertThat(t.getLanguage()).isEqualTo("ru-RU");
        assertThat(t.getEngine()).isEqualTo("openai");
        assertThat(t.getStartMs()).isBetween(280L, 340L);
      });
      assertThat(uploads).singleElement().satisfies(u -> assertThat(u).contains("\r\n\r\nru\r\n"));

      String port = app.getEnvironment().getProperty("local.server.port");
      String metrics = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics).contains("sva_stt_latency_seconds_count{application=\"stt-worker\",engine=\"openai\"} 1");
    } finally {
      openai.stop(0);
    }
  }

  /** 20 ms frames: quiet, a syllabic voiced sound, quiet. */
  private static List<short[]> syllables(int rate, int silenceMs, int speechMs, int trailingMs) {
    int frame = rate / 50;
    int total = (silenceMs + speechMs + trailingMs) / 20;
    java.util.Random random = new java.util.Random(7);
    List<short[]> frames = new java.util.ArrayList<>();
    for (int f = 0; f < total; f++) {
      short[] s = new short[frame];
      for (int i = 0; i < frame; i++) {
        double t = (double) (f * frame + i) / rate;
        double v = random.nextGaussian() * 20;
        if (f * 20 >= silenceMs && f * 20 < silenceMs + speechMs) {
          v += 6000 * (0.6 + 0.4 * Math.sin(2 * Math.PI * 4 * t)) * Math.sin(2 * Math.PI * 160 * t);
        }
        s[i] = (short) Math.round(v);
      }
      frames.add(s);
    }
    return frames;
  }
}
