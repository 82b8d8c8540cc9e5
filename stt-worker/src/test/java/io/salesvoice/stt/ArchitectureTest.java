package io.salesvoice.stt;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The speech logic stays plain Java: only the stage and the configuration know Kafka and Spring. */
@AnalyzeClasses(packages = "io.salesvoice.stt", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule logicKnowsNoKafkaOrSpring = noClasses()
      .that().resideInAnyPackage("..stt.audio..", "..stt.turn..", "..stt.transcription..", "..stt.engine..",
          "..stt.grammar..")
      .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "org.springframework..",
          "reactor.kafka..", "io.salesvoice.platform..", "io.micrometer..");

  @ArchTest
  static final ArchRule signalProcessingIsPlainJava = noClasses()
      .that().resideInAnyPackage("..stt.audio..", "..stt.turn..", "..stt.grammar..")
      .should().dependOnClassesThat().resideInAnyPackage("reactor..", "org.apache.avro..", "io.salesvoice.schema..",
          "io.salesvoice.stt.engine..", "io.salesvoice.stt.transcription..");
}
