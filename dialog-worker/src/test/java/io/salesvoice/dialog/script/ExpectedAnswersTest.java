package io.salesvoice.dialog.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.salesvoice.dialog.nlu.DateTimeParser;
import io.salesvoice.dialog.nlu.Intent;
import io.salesvoice.dialog.nlu.IntentDetector;
import io.salesvoice.dialog.nlu.SlotExtractor;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The phrases each state expects (published for speech recognition) and the examples they come from. */
class ExpectedAnswersTest {

  private final ScriptCatalog catalog = ScriptCatalog.builtIn();

  @Test
  void everyExampleOfTheShippedScriptsMeansWhatItIsAnExampleOf() {
    IntentDetector intents = new IntentDetector();
    SlotExtractor slots = new SlotExtractor();
    DateTimeParser dates = new DateTimeParser();
    for (SalesScript script : catalog.all()) {
      assertThat(script.examples()).as(script.id()).isNotEmpty();
      script.examples().forEach((key, phrases) -> {
        for (String marked : phrases) {
          String phrase = marked.replace("+", "");   // a stress mark is for the recognizer, which drops it
          String what = script.id() + " " + key + ": " + phrase;
          switch (key) {
            case "datetime" -> assertThat(dates.parse(phrase, script.language(), LocalDate.of(2026, 11, 25)).isEmpty())
                .as(what).isFalse();
            case "team_size" -> assertThat(slots.extract(phrase, script.language(), Set.of(key))).as(what)
                .containsKey(key);
            default -> assertThat(intents.detect(phrase, script.language())).as(what).isEqualTo(Intent.ofKey(key));
          }
        }
      });
    }
  }

  @Test
  void aStateExpectsTheExamplesOfItsIntentsTheGlobalOnesTheInterjectionsAndItsSlots() {
    SalesScript ru = catalog.get("sales-ru");
    List<String> greeting = ru.expectedAnswers("greeting");
    assertThat(greeting).contains("да", "нет", "хорошо", "не интересно", "перезвоните позже", "я занят",
        "не звоните мне больше", "соедините с менеджером", "сколько стоит", "кто это", "вы робот", "повторите")
        .doesNotContain("завтра в три", "пять человек")
        .doesNotHaveDuplicates();
    assertThat(greeting.get(0)).isEqualTo("да");   // the state's own intents first
    assertThat(ru.expectedAnswers("callback")).contains("завтра в три", "нет", "не звоните мне больше")
        .doesNotContain("да");                        // callback has no yes
    assertThat(ru.expectedAnswers("qualification")).contains("десять человек", "не интересно");
    assertThat(catalog.get("sales-en").expectedAnswers("greeting")).contains("yes", "not interested",
        "call me later", "how much does it cost", "stop calling me");
  }

  @Test
  void anEndingOrAnUnknownStateExpectsNothing() {
    SalesScript en = catalog.get("sales-en");
    assertThat(en.expectedAnswers("meeting_booked")).isEmpty();
    assertThat(en.expectedAnswers("no_such_state")).isEmpty();
  }

  @Test
  void examplesForAnUnknownKeyOrWithoutPhrasesAreRejectedAtLoad() {
    String base = """
        id: t
        language: en-US
        start: a
        states:
          a: {say: Hi, on: {yes: b}}
          b: {say: Bye, end: hang_up, outcome: {result: done}}
        """;
    assertThat(load(base + "examples: {yes: [yes, sure]}").examples()).isEqualTo(Map.of("yes", List.of("yes", "sure")));
    assertThatThrownBy(() -> load(base + "examples: {yeah: [yes]}"))
        .hasMessageContaining("examples: yeah is neither an intent nor a slot");
    assertThatThrownBy(() -> load(base + "examples: {yes: sure}"))
        .hasMessageContaining("examples: yes must be a list of phrases");
    assertThatThrownBy(() -> load(base + "examples: {yes: [yes, '']}"))
        .hasMessageContaining("examples: yes must be a list of phrases");
    assertThat(load(base).examples()).isEmpty();
  }

  private static SalesScript load(String yaml) {
    return new ScriptLoader().load("test.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }
}
