package io.salesvoice.platform.topics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

class TopicCatalogueTest {

  @Test
  void namesAreUniqueAndEveryConsumedTopicHasADeadLetterTopic() {
    Set<String> names = Topics.ALL.stream().map(TopicSpec::name).collect(Collectors.toSet());
    assertThat(names).hasSameSizeAs(Topics.ALL);
    for (String topic : List.of(Topics.CALLS, Topics.AUDIO_IN, Topics.TRANSCRIPTS, Topics.DIALOG_TURNS,
        Topics.AUDIO_OUT, Topics.CRM_COMMANDS)) {
      assertThat(Topics.get(Topics.deadLetterOf(topic)).valueSchema().getFullName())
          .isEqualTo("io.salesvoice.schema.deadletter.DeadLetter");
    }
  }

  @Test
  void theCatalogueAndThePublishedAsyncApiDocumentDescribeTheSameTopicsAndSchemas() throws Exception {
    JsonNode doc;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("asyncapi/asyncapi.yaml")) {
      assertThat(in).as("asyncapi/asyncapi.yaml in the schemas jar").isNotNull();
      doc = new ObjectMapper(new YAMLFactory()).readTree(in);
    }
    Map<String, String> documented = new HashMap<>();
    doc.path("channels").forEach(channel -> {
      JsonNode message = channel.path("messages").elements().next();
      JsonNode resolved = message.has("$ref") ? resolve(doc, message.get("$ref").asText()) : message;
      documented.put(channel.path("address").asText(), resolved.path("name").asText());
    });
    Map<String, String> catalogue = Topics.ALL.stream()
        .collect(Collectors.toMap(TopicSpec::name, t -> t.valueSchema().getFullName()));
    assertThat(documented).isEqualTo(catalogue);
  }

  @Test
  @ExtendWith(LocalStackExtension.class)
  void provisioningCreatesTheCatalogueWithItsSettingsAndIsIdempotent(KafkaStack stack) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
      TopicProvisioner provisioner = new TopicProvisioner(admin, (short) 1);
      provisioner.ensure(Topics.ALL);
      assertThat(provisioner.ensure(Topics.ALL)).isEmpty();

      Map<String, TopicDescription> described = admin.describeTopics(
          Topics.ALL.stream().map(TopicSpec::name).toList()).allTopicNames().get();
      Topics.ALL.forEach(t -> assertThat(described.get(t.name()).partitions()).as(t.name()).hasSize(t.partitions()));

      ConfigResource audio = new ConfigResource(ConfigResource.Type.TOPIC, Topics.AUDIO_IN);
      Config config = admin.describeConfigs(List.of(audio)).all().get().get(audio);
      assertThat(config.get("retention.ms").value()).isEqualTo(String.valueOf(Topics.get(Topics.AUDIO_IN).retention().toMillis()));
      assertThat(config.get("cleanup.policy").value()).isEqualTo("delete");
    }
  }

  private static JsonNode resolve(JsonNode doc, String ref) {
    JsonNode node = doc;
    for (String part : ref.replaceFirst("^#/", "").split("/")) {
      node = node.path(part);
    }
    return node;
  }
}
