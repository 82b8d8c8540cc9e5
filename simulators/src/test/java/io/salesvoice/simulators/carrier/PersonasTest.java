package io.salesvoice.simulators.carrier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PersonasTest {

  private final Personas personas = Personas.load(Personas.DEFAULT_MIX);

  @Test
  void theBundledPersonasAreAllThere() {
    assertThat(personas.all()).containsOnlyKeys("interested", "busy", "not-interested", "asks-price", "voicemail",
        "no-answer", "line-busy");
    assertThat(personas.all().get("no-answer").connects()).isFalse();
    assertThat(personas.all().get("no-answer").endReason()).isEqualTo("NO_ANSWER");
    assertThat(personas.all().get("line-busy").endReason()).isEqualTo("BUSY");
    Persona voicemail = personas.all().get("voicemail");
    assertThat(voicemail.answeredBy()).isEqualTo("machine");
    assertThat(voicemail.speaksFirst()).isTrue();
    assertThat(voicemail.beep()).isTrue();
  }

  @Test
  void everyConnectingPersonaSpeaksEnglishAndRussianInShortLines() {
    personas.all().values().stream().filter(Persona::connects).forEach(p -> {
      for (String lang : List.of("en", "ru")) {
        assertThat(p.scripts().get(lang)).as(p.name() + " " + lang).isNotEmpty();
        p.scripts().get(lang).forEach(variant -> assertThat(variant).isNotEmpty()
            .allSatisfy(line -> assertThat(line.split(" ")).as(line).hasSizeLessThanOrEqualTo(12)));
      }
      assertThat(p.answeredBy()).isNotBlank();
    });
  }

  @Test
  void theScriptsFollowTheSalesScriptsStates() {
    // interested: agrees, gives the company, a time, then an email or "no email"
    List<List<String>> interested = personas.all().get("interested").scripts().get("en");
    assertThat(interested).hasSize(2).allSatisfy(v -> {
      assertThat(v.get(0)).startsWith("yes");
      assertThat(v.get(1)).startsWith("my company is");
      assertThat(v.get(2)).containsAnyOf("tomorrow at eleven", "friday at four");
    });
    assertThat(interested).extracting(v -> v.get(3)).containsExactlyInAnyOrder("no email", "no thank you");
    assertThat(personas.all().get("busy").scripts().get("en").get(0).get(0)).contains("busy");
    assertThat(personas.all().get("busy").scripts().get("en").get(0).get(1)).startsWith("call me");
    assertThat(personas.all().get("not-interested").scripts().get("en").get(0).get(0)).contains("not interested");
    assertThat(personas.all().get("asks-price").scripts().get("en")).allSatisfy(v ->
        assertThat(v.get(0)).isEqualTo("how much does it cost"));
  }

  @Test
  void theRequestsPersonaParameterWins() {
    Personas.Choice choice = personas.choose(Map.of("persona", "busy"), "lead-1");
    assertThat(choice.persona().name()).isEqualTo("busy");
    assertThat(choice.why()).isEqualTo("parameter persona");
    assertThat(personas.choose(Map.of("persona", " line-busy "), "lead-1").persona().name()).isEqualTo("line-busy");
  }

  @Test
  void anUnknownPersonaParameterFallsBackToTheMixAndSaysSo() {
    Personas.Choice choice = personas.choose(Map.of("persona", "grumpy"), "lead-1");
    assertThat(choice.persona()).isEqualTo(personas.fromMix("lead-1"));
    assertThat(choice.why()).contains("unknown persona 'grumpy'").contains(choice.persona().name());
  }

  @Test
  void theMixChoosesByLeadDeterministicallyAndInProportion() {
    assertThat(personas.choose(Map.of(), "lead-42").persona())
        .isEqualTo(Personas.load(Personas.DEFAULT_MIX).choose(Map.of(), "lead-42").persona());
    Map<String, Integer> counts = new HashMap<>();
    IntStream.range(0, 20_000).forEach(i -> counts.merge(personas.fromMix("lead-" + i).name(), 1, Integer::sum));
    // weights 30/15/15/15/10/10/5 of 100
    assertThat(counts.get("interested")).isBetween(5400, 6600);
    assertThat(counts.get("busy")).isBetween(2600, 3400);
    assertThat(counts.get("voicemail")).isBetween(1600, 2400);
    assertThat(counts.get("line-busy")).isBetween(700, 1300);
  }

  @Test
  void aMixOfOnePersonaAlwaysGivesIt() {
    Personas onlyBusy = Personas.load("busy=1,interested=0");
    IntStream.range(0, 100).forEach(i -> assertThat(onlyBusy.fromMix("l" + i).name()).isEqualTo("busy"));
  }

  @Test
  void badMixesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> Personas.load("grumpy=3")).hasMessageContaining("unknown persona 'grumpy'");
    assertThatThrownBy(() -> Personas.load("busy=x")).hasMessageContaining("not a whole number");
    assertThatThrownBy(() -> Personas.load("busy=-1")).hasMessageContaining("negative");
    assertThatThrownBy(() -> Personas.load("busy=0")).hasMessageContaining("no persona with a positive weight");
  }

  @Test
  void linesComeInTheCallsLanguageOrEnglishAndOneVariantPerLead() {
    Persona interested = personas.all().get("interested");
    assertThat(interested.lines("ru-RU", "lead-1").get(0)).isEqualTo("да конечно слушаю");
    assertThat(interested.lines("de-DE", "lead-1").get(0)).isEqualTo(interested.lines("en-US", "lead-1").get(0));
    assertThat(interested.linesLanguage("de-DE")).isEqualTo("en-US");
    assertThat(interested.linesLanguage("ru-RU")).isEqualTo("ru-RU");
    assertThat(interested.lines("en-US", "lead-7")).isEqualTo(interested.lines("en-US", "lead-7"));
    long variants = IntStream.range(0, 50).mapToObj(i -> interested.lines("en-US", "lead-" + i).get(3)).distinct()
        .count();
    assertThat(variants).isEqualTo(2);
    assertThat(personas.hello("en-US")).isEqualTo("hello are you there");
    assertThat(personas.hello("ru-RU")).startsWith("алло");
  }
}
