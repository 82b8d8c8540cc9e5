package io.salesvoice.stt.grammar;

import static io.salesvoice.stt.grammar.RussianPronunciation.arpabet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RussianPronunciationTest {

  /** The phones of the US English acoustic model (sphinx4-data en-us, CMUdict's set without stress digits). */
  private static final Set<String> ENGLISH_PHONES = Set.of("AA", "AE", "AH", "AO", "AW", "AY", "B", "CH", "D", "DH",
      "EH", "ER", "EY", "F", "G", "HH", "IH", "IY", "JH", "K", "L", "M", "N", "NG", "OW", "OY", "P", "R", "S", "SH", "T",
      "TH", "UH", "UW", "V", "W", "Y", "Z", "ZH");

  @Test
  void lettersBecomeTheNearestEnglishPhones() {
    assertThat(arpabet("да")).isEqualTo("D AA");
    assertThat(arpabet("нет")).isEqualTo("N EH T");
    assertThat(arpabet("мы")).isEqualTo("M IH");
    assertThat(arpabet("цирк")).isEqualTo("T S IH R K");
    assertThat(arpabet("шум")).isEqualTo("SH UW M");
    assertThat(arpabet("хлеб")).isEqualTo("HH L EH P");
    assertThat(arpabet("чай")).isEqualTo("CH AA Y");
  }

  @Test
  void unstressedVowelsAreReduced() {
    // хорошо: [хəрɐшо] — only the stressed last о keeps its quality
    assertThat(arpabet("хорошо")).isEqualTo("HH AH R AH SH AO");
    assertThat(arpabet("молок+о")).isEqualTo("M AH L AH K AO");
    // е and я outside the stress are [ɪ]; я at the end of a word [ə]
    assertThat(arpabet("перезвоните")).isEqualTo("P IH R IH Z V AH N IY T IH");
    assertThat(arpabet("пятерка")).startsWith("P IH T");
    assertThat(arpabet("неделя")).endsWith("L AH");
  }

  @Test
  void stressComesFromAMarkTheLetterYoTheLexiconOrThePenultimateSyllable() {
    assertThat(arpabet("зам+ок")).isEqualTo("Z AH M AO K");
    assertThat(arpabet("з+амок")).isEqualTo("Z AA M AH K");
    assertThat(arpabet("за\u0301мок")).isEqualTo("Z AA M AH K");
    assertThat(arpabet("ещё")).isEqualTo("Y IH SH AO");
    assertThat(arpabet("сейчас")).isEqualTo("S IH Y CH AA S");          // lexicon: сейч+ас
    assertThat(arpabet("работа")).isEqualTo("R AH B AO T AH");          // guessed: penultimate
    assertThat(arpabet("не")).isEqualTo("N IH");                        // a clitic has no stress
  }

  @Test
  void iotatedVowelsStartWithAGlideAfterAVowelASignOrAtTheStart() {
    assertThat(arpabet("ёлка")).isEqualTo("Y AO L K AH");
    assertThat(arpabet("моя")).isEqualTo("M AH Y AA");
    assertThat(arpabet("съесть")).isEqualTo("S Y EH S T");
    assertThat(arpabet("семья")).isEqualTo("S EH M Y AH");
    assertThat(arpabet("соловь+и")).endsWith("V Y IY");
    // after a consonant they only soften it, which English phones cannot say
    assertThat(arpabet("мёд")).isEqualTo("M AO T");
  }

  @Test
  void иAfterЖШЦIsЫ() {
    assertThat(arpabet("жить")).isEqualTo("ZH IH T");
    assertThat(arpabet("шило")).isEqualTo("SH IH L AH");
  }

  @Test
  void voicedConsonantsAreDevoicedAtTheEndAndBeforeVoicelessOnes() {
    assertThat(arpabet("бог")).isEqualTo("B AO K");
    assertThat(arpabet("друг")).isEqualTo("D R UW K");
    assertThat(arpabet("сказка")).isEqualTo("S K AA S K AH");
    assertThat(arpabet("всё")).isEqualTo("F S AO");
    assertThat(arpabet("вторник")).isEqualTo("F T AO R N IH K");
  }

  @Test
  void voicelessConsonantsAreVoicedBeforeVoicedOnesButNotBeforeВ() {
    assertThat(arpabet("просьба")).isEqualTo("P R AO Z B AH");
    assertThat(arpabet("вокзал")).contains("G Z");
    assertThat(arpabet("сделать")).startsWith("Z D");
    assertThat(arpabet("свой")).startsWith("S V");
    // т voiced before д is one long [д]
    assertThat(arpabet("отдых")).isEqualTo("AO D IH HH");
  }

  @Test
  void silentConsonantsAreNotSaid() {
    assertThat(arpabet("здравствуйте")).isEqualTo("Z D R AA S T V UW Y T IH");
    assertThat(arpabet("солнце")).isEqualTo("S AO N T S IH");
    assertThat(arpabet("честно")).isEqualTo("CH EH S N AH");
    assertThat(arpabet("поздно")).isEqualTo("P AO Z N AH");
    assertThat(arpabet("пожалуйста")).isEqualTo("P AH ZH AA L S T AH");
  }

  @Test
  void spellingsSaidOtherwise() {
    assertThat(arpabet("ничего")).isEqualTo("N IH CH IH V AO");            // -ого/-его: [в]
    assertThat(arpabet("сегодня")).isEqualTo("S IH V AO D N AH");
    assertThat(arpabet("много")).isEqualTo("M N AO G AH");                 // a root's г stays
    assertThat(arpabet("улыбаться")).endsWith("T S AH");                   // -ться: [ца]
    assertThat(arpabet("учится")).endsWith("T S AH");
    assertThat(arpabet("что")).isEqualTo("SH T AO");
    assertThat(arpabet("конечно")).isEqualTo("K AH N EH SH N AH");
    assertThat(arpabet("счастье")).startsWith("SH AA");                   // сч: [щ]
    assertThat(arpabet("позже")).isEqualTo("P AO ZH IH");                  // зж: one [ж]
    assertThat(arpabet("касса")).isEqualTo("K AA S AH");                   // doubled: one
    assertThat(arpabet("лёгкий")).contains("HH K");                       // гк: [хк]
  }

  @Test
  void variantsAddTheSoftGlideAndTheSecondStress() {
    assertThat(RussianPronunciation.variants("нет")).containsExactly("N EH T", "N Y EH T");
    assertThat(RussianPronunciation.variants("да")).containsExactly("D AA");
    assertThat(RussianPronunciation.variants("перезвоните"))
        .containsExactly("P IH R IH Z V AH N IY T IH", "P IH R IH Z V AO N IH T IH");
    // a stress marked by hand is not second-guessed
    assertThat(RussianPronunciation.variants("перезвон+ите")).containsExactly("P IH R IH Z V AH N IY T IH");
  }

  @Test
  void everyPhoneIsOneTheEnglishModelHas() {
    String sample = "съешь же ещё этих мягких французских булок да выпей чаю щука юла эхо ёж цапля объём";
    for (String word : sample.split(" ")) {
      for (String variant : RussianPronunciation.variants(word)) {
        assertThat(List.of(variant.split(" "))).as(word).isSubsetOf(ENGLISH_PHONES);
      }
    }
  }

  @Test
  void everyLexiconEntryMarksOneVowel() {
    RussianPronunciation.lexicon().forEach((plain, marked) -> {
      assertThat(marked.chars().filter(c -> c == RussianPronunciation.STRESS).count()).as(marked).isEqualTo(1);
      int at = marked.indexOf(RussianPronunciation.STRESS);
      assertThat("аеёиоуыэюя").as(marked).contains(String.valueOf(marked.charAt(at + 1)));
      assertThat(RussianPronunciation.plain(marked)).isEqualTo(plain);
    });
  }

  @Test
  void aWordWithoutCyrillicLettersIsAnError() {
    assertThatThrownBy(() -> arpabet("hello")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a Russian word");
    assertThatThrownBy(() -> arpabet("+")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void plainDropsStressMarks() {
    assertThat(RussianPronunciation.plain("Перезвон+ите")).isEqualTo("перезвоните");
    assertThat(RussianPronunciation.plain("за\u0301мок")).isEqualTo("замок");
  }
}
