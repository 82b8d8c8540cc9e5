package io.salesvoice.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class AsyncApiDocumentTest {

  private static final Path DOCUMENT = Path.of("src/main/asyncapi/asyncapi.yaml");

  private final Map<String, Schema> schemas = SchemaFiles.parse(SchemaFiles.CURRENT);

  @Test
  void everyMessagePointsAtTheAvroSchemaOfItsName() throws Exception {
    JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(DOCUMENT));
    assertThat(doc.path("asyncapi").asText()).isEqualTo("3.0.0");

    JsonNode messages = doc.path("components").path("messages");
    assertThat(messages.size()).isPositive();
    messages.fields().forEachRemaining(entry -> {
      JsonNode message = entry.getValue();
      String ref = message.path("payload").path("schema").path("$ref").asText();
      assertThat(message.path("payload").path("schemaFormat").asText()).startsWith("application/vnd.apache.avro+json");
      Path avsc = DOCUMENT.getParent().resolveSibling("avro").resolve(ref.replaceFirst("^\\.\\./avro/", ""));
      assertThat(avsc).as("payload of %s", entry.getKey()).exists();

      String relative = SchemaFiles.CURRENT.relativize(avsc).toString().replace('\\', '/');
      assertThat(schemas.get(relative).getFullName()).as("message %s", entry.getKey())
          .isEqualTo(message.path("name").asText());
    });
  }

  @Test
  void everyChannelUsesADefinedMessageAndEveryTopLevelSchemaIsPublished() throws Exception {
    JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(DOCUMENT));
    Set<String> used = new HashSet<>();
    doc.path("channels").forEach(channel -> {
      assertThat(channel.path("address").asText()).startsWith("sva.");
      channel.path("messages").forEach(m -> {
        String name = m.path("$ref").asText().replace("#/components/messages/", "");
        assertThat(doc.path("components").path("messages").has(name)).as(name).isTrue();
        used.add(name);
      });
    });
    Set<String> records = new HashSet<>();
    schemas.forEach((file, schema) -> {
      if (schema.getType() == Schema.Type.RECORD) {
        records.add(schema.getName());
      }
    });
    assertThat(used).isEqualTo(records);
  }
}
