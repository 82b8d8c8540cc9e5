package io.salesvoice.tts;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.schema.audio.AudioChunk;
import io.salesvoice.schema.audio.AudioCodec;
import io.salesvoice.schema.call.CallDirection;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.call.CallStarted;
import io.salesvoice.schema.dialog.DialogAction;
import io.salesvoice.schema.dialog.DialogTurn;
import io.salesvoice.tts.engine.TextToSpeech;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The whole worker as it is deployed: Spring Boot, the catalogue's topics, the default engine, the metrics endpoint. */
@ExtendWith(LocalStackExtension.class)
class TtsWorkerApplicationTest {

  @Test
  void speaksATurnFromTheCatalogueTopicsAndReportsTimeToFirstAudio(KafkaStack stack) throws Exception {
    try (ConfigurableApplicationContext app = new SpringApplicationBuilder(TtsWorkerApplication.class)
        .run(   // command-line arguments: they win over application.yml, as in a deployment
            "--sva.kafka.bootstrap-servers=" + stack.bootstrapServers(),
            "--sva.kafka.schema-registry-url=" + stack.schemaRegistryUrl(),
            "--sva.kafka.replication-factor=1",
            "--sva.tts.calls-offset-reset=earliest",
            // the turn is sent right after CallStarted, while the worker's two consumer groups may still be joining:
            // the turn must wait for the call's format however long the calls group takes (300 ms failed in CI)
            "--sva.tts.call-info-wait=60s",
            "--server.port=0");
         StackClients clients = new StackClients(stack)) {
      String engine = app.getBean(TextToSpeech.class).name();
      assertThat(engine).isIn("espeak", "freetts");   // FreeTTS only where espeak-ng is not installed
      String callId = "call-" + UUID.randomUUID();
      clients.send(Topics.CALLS, callId, CallEvent.newBuilder()
          .setCallId(callId).setEventId("e1").setOccurredAt(Instant.now())
          .setEvent(CallStarted.newBuilder().setDirection(CallDirection.values()[0]).setProvider("simulated")
              .setLanguage("en-US").setCodec(AudioCodec.PCM16).setSampleRate(16000).setGatewayInstance("gw")
              .setReplyPartition(5).build())
          .build());
      clients.send(Topics.DIALOG_TURNS, callId, DialogTurn.newBuilder()
          .setCallId(callId).setTurnId("t1").setChunkIndex(0).setText("Hello! It costs 25 dollars.")
          .setLastChunk(true).setAction(DialogAction.SPEAK).setLanguage("en-US").setEngine("script")
          .setReplyPartition(-1).setProducedAt(Instant.now()).build());

      List<ConsumerRecord<String, Object>> out = List.of();
      Instant deadline = Instant.now().plusSeconds(60);
      while (Instant.now().isBefore(deadline)
          && out.stream().noneMatch(r -> ((AudioChunk) r.value()).getLastOfTurn())) {
        out = clients.read(Topics.AUDIO_OUT, Integer.MAX_VALUE, Duration.ofSeconds(2)).stream()
            .filter(r -> callId.equals(r.key())).toList();
      }
      assertThat(out).isNotEmpty().allSatisfy(r -> {
        assertThat(r.partition()).as("the reply partition of CallStarted").isEqualTo(5);
        assertThat(((AudioChunk) r.value()).getData().remaining()).isEqualTo(640);
      });
      assertThat(out.size() * 20).as("ms of speech").isBetween(1000, 6000);

      String port = app.getEnvironment().getProperty("local.server.port");
      String metrics = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics).contains("sva_tts_first_audio_seconds_count{application=\"tts-worker\",engine=\"" + engine
          + "\",source=\"engine\"} 1");
    }
  }
}
