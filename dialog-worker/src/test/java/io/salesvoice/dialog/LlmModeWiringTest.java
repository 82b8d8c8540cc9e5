package io.salesvoice.dialog;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesvoice.dialog.engine.DialogEngine;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** {@code sva.dialog.engine=llm} puts the LLM engine in front, with the key from the environment. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
    "sva.kafka.create-topics=false", "sva.dialog.autostart=false", "sva.dialog.engine=llm",
    "OPENAI_API_KEY=sk-test-not-real", "sva.dialog.llm.base-url=http://127.0.0.1:1/v1",
    "sva.kafka.bootstrap-servers=127.0.0.1:1", "sva.kafka.schema-registry-url=http://127.0.0.1:1"})
class LlmModeWiringTest {

  @Autowired
  DialogEngine engine;

  @Test
  void theLlmEngineTalks() {
    assertThat(engine.name()).isEqualTo("llm");
  }
}
