package io.salesvoice.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.crm.CrmCommand;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

class SchemaCompatibilityTest {

  private final Map<String, Schema> current = SchemaFiles.parse(SchemaFiles.CURRENT);
  private final Map<String, Schema> released = SchemaFiles.parse(SchemaFiles.latestRelease());

  @Test
  void everyReleasedSchemaStillExists() {
    assertThat(current.keySet()).containsAll(released.keySet());
  }

  @Test
  void everySchemaReadsDataWrittenWithItsLatestRelease() {
    // Backward compatibility: consumers upgraded first must still read what not-yet-upgraded producers write.
    released.forEach((file, old) -> {
      var result = SchemaCompatibility.checkReaderWriterCompatibility(current.get(file), old);
      assertThat(result.getType())
          .as("%s must read data written with release %s: %s", file, SchemaFiles.latestRelease().getFileName(),
              result.getResult().getIncompatibilities())
          .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    });
  }

  @Test
  void theCheckCatchesAFieldAddedWithoutADefault() {
    Schema old = released.get("transcript/Transcript.avsc");
    String withRequiredField = old.toString().replaceFirst(
        "\\{\"name\":\"text\"", "{\"name\":\"speaker\",\"type\":\"string\"},{\"name\":\"text\"");
    Schema changed = new Schema.Parser()
        .addTypes(Map.of("io.salesvoice.schema.audio.Channel", current.get("audio/Channel.avsc")))
        .parse(withRequiredField);

    assertThat(changed.getField("speaker")).isNotNull();
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(changed, old).getType())
        .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
  }

  @Test
  void theCheckCatchesARemovedUnionBranch() {
    Schema old = released.get("call/CallEvent.avsc");
    Schema event = old.getField("event").schema();
    Schema withoutDtmf = Schema.createUnion(event.getTypes().stream().filter(t -> !t.getName().equals("Dtmf")).toList());
    Schema changed = Schema.createRecord(old.getName(), old.getDoc(), old.getNamespace(), false,
        old.getFields().stream()
            .map(f -> new Schema.Field(f.name(), f.name().equals("event") ? withoutDtmf : f.schema(), f.doc(), f.defaultVal()))
            .toList());

    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(changed, old).getType())
        .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
  }

  @Test
  void generatedClassesAreTheSchemasInTheRepository() {
    // Parsing canonical form: the generator adds Java-only properties (avro.java.string) that do not change the data.
    assertThat(SchemaNormalization.toParsingForm(CallEvent.getClassSchema()))
        .isEqualTo(SchemaNormalization.toParsingForm(current.get("call/CallEvent.avsc")));
    assertThat(SchemaNormalization.toParsingForm(CrmCommand.getClassSchema()))
        .isEqualTo(SchemaNormalization.toParsingForm(current.get("crm/CrmCommand.avsc")));
  }

  @Test
  void everyFieldAddedAfterTheFirstReleaseHasADefault() {
    // Convention: new fields carry defaults. Fields present in the release are allowed to be required.
    released.forEach((file, old) -> {
      Schema now = current.get(file);
      if (now.getType() != Schema.Type.RECORD) {
        return;
      }
      now.getFields().stream()
          .filter(f -> old.getField(f.name()) == null)
          .forEach(f -> assertThat(f.hasDefaultValue()).as("%s.%s needs a default", file, f.name()).isTrue());
    });
  }
}
