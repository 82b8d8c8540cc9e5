package io.salesvoice.dialog;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesvoice.dialog.engine.DialogEngine;
import io.salesvoice.dialog.knowledge.KnowledgeBase;
import io.salesvoice.dialog.nlu.Language;
import io.salesvoice.dialog.script.ScriptCatalog;
import io.salesvoice.dialog.stage.DialogStage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The application context wires the embedded engine, the shipped scripts and FAQ, and the stage (not started). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
    "sva.kafka.create-topics=false", "sva.dialog.autostart=false",
    "sva.kafka.bootstrap-servers=127.0.0.1:1", "sva.kafka.schema-registry-url=http://127.0.0.1:1"})
class DialogWorkerApplicationTest {

  @Autowired
  DialogEngine engine;
  @Autowired
  ScriptCatalog scripts;
  @Autowired
  KnowledgeBase knowledge;
  @Autowired
  DialogStage stage;

  @Test
  void wiresTheEmbeddedEngineByDefault() {
    assertThat(engine.name()).isEqualTo("script");
    assertThat(scripts.all()).extracting(s -> s.id()).contains("sales-ru", "sales-en");
    assertThat(knowledge.answer("default", Language.RU, "сколько стоит")).hasValueSatisfying(a ->
        assertThat(a.source()).isEqualTo("kb/default/faq.ru.md#Сколько стоит? Какая цена и тарифы?"));
    assertThat(stage).isNotNull();
  }
}
