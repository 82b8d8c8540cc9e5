package io.salesvoice.stt.grammar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PhraseGrammarTest {

  private static final Set<String> DICTIONARY = Set.of("yes", "no", "not", "interested", "call", "me", "at", "later",
      "o'clock", "forty-five");

  @Test
  void russianWordsBecomeAsciiTokensAndComeBack() {
    for (String word : List.of("да", "перезвоните", "щётка", "объявление", "съешь", "эхо", "юла", "яма", "ёжик",
        "по-моему", "перезвон+ите", "жизнь", "чаща", "шхуна")) {
      String token = RussianTokens.token(word);
      assertThat(token).as(word).matches("ru_[a-z0-9-]+");
      assertThat(RussianTokens.word(token)).as(token).contains(word);
    }
    assertThat(RussianTokens.token("перезвон+ите")).isEqualTo("ru_perezvon1ite");
    assertThat(RussianTokens.token("за\u0301мок")).isEqualTo("ru_z1amok");
    assertThat(RussianTokens.word("yes")).isEmpty();
    assertThat(RussianTokens.word("ru_")).isEmpty();
    assertThat(RussianTokens.word("ru_h")).isEmpty();
    assertThatThrownBy(() -> RussianTokens.token("hello")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theGrammarHasOneAlternativePerPhraseInTokens() {
    PhraseGrammar g = PhraseGrammar.of(List.of("Да, конечно!", "Перезвоните позже.", "not interested", "да конечно"),
        DICTIONARY::contains).orElseThrow();
    assertThat(g.jsgf()).startsWith("#JSGF V1.0;").contains("grammar " + g.name() + ";")
        .contains("public <expected> = ")
        .contains("ru_da ru_konechno").contains("ru_perezvonite ru_pozzhe").contains("not interested");
    assertThat(g.jsgf().chars().allMatch(c -> c < 128)).as("ASCII only").isTrue();
    assertThat(g.phrases()).containsExactly("да конечно", "перезвоните позже", "not interested");
    assertThat(g.russian()).isTrue();
    assertThat(g.name()).startsWith("ru_expected_");
  }

  @Test
  void theSamePhrasesGiveTheSameGrammarWhateverTheirOrder() {
    PhraseGrammar a = PhraseGrammar.of(List.of("да", "нет"), DICTIONARY::contains).orElseThrow();
    PhraseGrammar b = PhraseGrammar.of(List.of("нет", "да"), DICTIONARY::contains).orElseThrow();
    PhraseGrammar c = PhraseGrammar.of(List.of("да", "нет", "может быть"), DICTIONARY::contains).orElseThrow();
    assertThat(a.name()).isEqualTo(b.name()).isNotEqualTo(c.name());
    assertThat(PhraseGrammar.of(List.of("yes", "no"), DICTIONARY::contains).orElseThrow().name())
        .startsWith("expected_");
  }

  @Test
  void aPhraseWithAWordTheDictionaryCannotSayIsLeftOut() {
    PhraseGrammar g = PhraseGrammar.of(List.of("yes", "call me at 5", "call me tomorrow", "no"),
        DICTIONARY::contains).orElseThrow();
    assertThat(g.phrases()).containsExactly("yes", "no");
    assertThat(g.dropped()).containsExactly("call me at 5 (no pronunciation for '5')",
        "call me tomorrow (no pronunciation for 'tomorrow')");
    assertThat(g.russian()).isFalse();
  }

  @Test
  void grammarSyntaxInAPhraseCannotReachTheGrammar() {
    PhraseGrammar g = PhraseGrammar.of(List.of("yes | <no>", "no;", "да*", "(нет)", "ok /5/", "yes"),
        w -> true).orElseThrow();
    assertThat(g.phrases()).containsExactly("no", "нет", "yes");
    assertThat(g.dropped()).hasSize(3);
    assertThat(g.jsgf()).doesNotContain("<no>").doesNotContain("*").doesNotContain("/5/");
  }

  @Test
  void aFloodOfPhrasesIsCutAtTheLimit() {
    List<String> many = java.util.stream.IntStream.range(0, PhraseGrammar.MAX_PHRASES + 20)
        .mapToObj(i -> "да " + "да ".repeat(i % 7) + DistinctWords.of(i)).toList();
    PhraseGrammar g = PhraseGrammar.of(many, w -> true).orElseThrow();
    assertThat(g.phrases()).hasSize(PhraseGrammar.MAX_PHRASES);
    assertThat(g.dropped()).hasSize(20).allSatisfy(d -> assertThat(d).endsWith("(more than 500 phrases)"));
  }

  /** Distinct Russian words from a number, for many distinct phrases. */
  private static final class DistinctWords {
    static String of(int i) {
      String letters = "абвгдежзиклмнопрстуф";
      return "" + letters.charAt(i % 20) + letters.charAt(i / 20 % 20) + "а";
    }
  }

  @Test
  void noSayablePhraseIsNoGrammar() {
    assertThat(PhraseGrammar.of(List.of("tomorrow", " ", "!!"), DICTIONARY::contains)).isEmpty();
    assertThat(PhraseGrammar.of(List.of(), DICTIONARY::contains)).isEmpty();
  }

  @Test
  void hypothesesAreReadBackAsWords() {
    assertThat(PhraseGrammar.words("ru_perezvon1ite ru_pozzhe")).isEqualTo("перезвоните позже");
    assertThat(PhraseGrammar.words("<unk> ru_da")).isEqualTo("да");
    assertThat(PhraseGrammar.words("<unk>")).isEmpty();
    assertThat(PhraseGrammar.words("not interested")).isEqualTo("not interested");
    assertThat(PhraseGrammar.words(null)).isEmpty();
  }

  @Test
  void englishWordsKeepTheirApostrophesAndHyphens() {
    PhraseGrammar g = PhraseGrammar.of(List.of("Four o'clock", "forty-five"), w -> true).orElseThrow();
    assertThat(g.phrases()).containsExactly("four o'clock", "forty-five");
  }
}
