package io.salesvoice.platform.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.platform.stack.StackClients;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.transcript.Transcript;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the wire format with a client written outside this project: kafkajs with npm's
 * {@code @kafkajs/confluent-schema-registry}, talking to the same broker and registry.
 */
@ExtendWith(LocalStackExtension.class)
class ConfluentEcosystemWireCompatibilityTest {

  private static final Path CLIENT_DIR = Path.of("src/test/node");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theNodeClientReadsWhatOurSerializerWrote(KafkaStack stack) throws Exception {
    String topic = "wire-java-to-node-" + UUID.randomUUID();
    try (StackClients clients = new StackClients(stack)) {
      clients.createTopics(1, topic);
      CallEvent started = AvroSerdeTest.callStarted("call-wire-1");
      Transcript said = AvroSerdeTest.transcript("call-wire-1", "Здравствуйте, это Анна из отдела продаж");
      // One value type per topic, as TopicNameStrategy expects: the call event goes to a second topic.
      clients.send(topic, "call-wire-1", said);
      String callsTopic = topic + "-calls";
      clients.createTopics(1, callsTopic);
      clients.send(callsTopic, "call-wire-1", started);

      JsonNode transcript = runClient("read", stack, topic, "1").get(0);
      assertThat(transcript.path("key").asText()).isEqualTo("call-wire-1");
      JsonNode t = transcript.path("value");
      assertThat(t.path("text").asText()).isEqualTo(said.getText());
      assertThat(t.path("isFinal").asBoolean()).isTrue();
      assertThat(t.path("confidence").floatValue()).isEqualTo(0.9f);
      assertThat(t.path("endMs").asLong()).isEqualTo(1200);
      assertThat(t.path("producedAt").asLong()).isEqualTo(1_700_000_000_000L);
      assertThat(t.path("channel").asText()).isEqualTo("CUSTOMER");

      JsonNode event = runClient("read", stack, callsTopic, "1").get(0).path("value");
      assertThat(event.path("campaignId").asText()).isEqualTo("spring-sale");
      JsonNode callStarted = event.path("event").path("io.salesvoice.schema.call.CallStarted");
      assertThat(callStarted.path("phoneNumber").asText()).isEqualTo("+79990001122");
      assertThat(callStarted.path("codec").asText()).isEqualTo("MULAW");
      assertThat(callStarted.path("replyPartition").asInt()).isEqualTo(3);
      assertThat(callStarted.path("parameters").path("leadName").asText()).isEqualTo("Анна");
    }
  }

  @Test
  void ourDeserializerReadsWhatTheNodeClientWrote(KafkaStack stack, @TempDir Path tmp) throws Exception {
    String topic = "wire-node-to-java-" + UUID.randomUUID();
    try (StackClients clients = new StackClients(stack)) {
      clients.createTopics(1, topic);
      Path schema = tmp.resolve("Transcript.avsc");
      Files.writeString(schema, Transcript.getClassSchema().toString());
      String value = """
          {"callId": "call-wire-2", "utteranceId": "u7", "text": "Call me back next Tuesday morning",
           "isFinal": true, "language": "en-US", "confidence": 0.75, "startMs": 4100, "endMs": 6900,
           "engine": "node", "channel": "CUSTOMER", "speechEndedAt": null, "producedAt": 1700000123456}""";

      int schemaId = runClient("write", stack, topic, "call-wire-2", schema.toString(), value).get(0).path("schemaId").asInt();

      List<ConsumerRecord<String, Object>> read = clients.read(topic, 1, Duration.ofSeconds(20));
      assertThat(read).hasSize(1);
      assertThat(read.get(0).key()).isEqualTo("call-wire-2");
      assertThat(read.get(0).value()).isInstanceOf(Transcript.class);
      Transcript t = (Transcript) read.get(0).value();
      assertThat(t.getText()).isEqualTo("Call me back next Tuesday morning");
      assertThat(t.getUtteranceId()).isEqualTo("u7");
      assertThat(t.getConfidence()).isEqualTo(0.75f);
      assertThat(t.getStartMs()).isEqualTo(4100);
      assertThat(t.getProducedAt().toEpochMilli()).isEqualTo(1_700_000_123_456L);
      assertThat(schemaId).isPositive();
    }
  }

  private static List<JsonNode> runClient(String mode, KafkaStack stack, String topic, String... rest)
      throws IOException, InterruptedException {
    if (!Files.isDirectory(CLIENT_DIR.resolve("node_modules/kafkajs"))) {
      throw new AssertionError("the Node.js client is not installed: run 'npm ci --ignore-scripts' in "
          + CLIENT_DIR.toAbsolutePath() + " (the Maven build does it in generate-test-resources)");
    }
    List<String> command = new ArrayList<>(List.of("node", "wire-client.js", mode, stack.bootstrapServers(),
        stack.schemaRegistryUrl(), topic));
    command.addAll(List.of(rest));
    Path out = Files.createTempFile("wire-client", ".out");
    Path err = Files.createTempFile("wire-client", ".err");
    Process p = new ProcessBuilder(command).directory(CLIENT_DIR.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the Node.js client did not finish in 90 s: " + Files.readString(err));
    }
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("node wire-client.js %s failed: %s", mode, stderr).isZero();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
    return lines;
  }
}
