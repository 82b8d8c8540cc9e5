package io.salesvoice.dialog.nlu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlotExtractorTest {

  private final SlotExtractor extractor = new SlotExtractor();

  @ParameterizedTest(name = "{0}: {1} → {2}={3}")
  @CsvSource(delimiter = '|', value = {
      "RU|меня зовут Иван|name|Иван",
      "RU|Меня зовут иван петров|name|Иван",
      "RU|Это Мария Соколова, я из компании Ромашка|name|Мария Соколова",
      "RU|Я из компании Ромашка, у нас 20 менеджеров|company|Ромашка",
      "RU|компания «Вектор Плюс»|company|Вектор Плюс",
      "RU|у нас двадцать пять человек в отделе|team_size|25",
      "RU|бюджет около пятисот тысяч рублей|budget|500000",
      "RU|готовы потратить 1,5 миллиона|budget|1500000",
      "RU|пишите на ivan.petrov@romashka.ru|email|ivan.petrov@romashka.ru",
      "RU|ivan собака яндекс точка ру|email|ivan@yandex.ru",
      "RU|ivan собака mail точка ru|email|ivan@mail.ru",
      "RU|мой номер +7 (999) 123-45-67|phone|+79991234567",
      "RU|запишите 8 999 123 45 67|phone|+79991234567",
      "EN|my name is John|name|John",
      "EN|Hi, this is Sarah Connor from Cyberdyne|name|Sarah Connor",
      "EN|I work at Acme Corp and we have 12 reps|company|Acme Corp",
      "EN|we have twelve sales reps|team_size|12",
      "EN|our budget is about 50k|budget|50000",
      "EN|we could spend five thousand dollars|budget|5000",
      "EN|send it to john.doe@acme.com|email|john.doe@acme.com",
      "EN|john dot doe at acme dot com|email|john.doe@acme.com",
      "EN|call me on (415) 555-2671|phone|+14155552671",
  })
  void extracts(Language language, String utterance, String slot, String value) {
    assertThat(extractor.extract(utterance, language, Set.of())).containsEntry(slot, value);
  }

  @Test
  void aBareShortAnswerIsTheCompanyOnlyWhenTheCompanyIsAsked() {
    assertThat(extractor.extract("Ромашка", Language.RU, Set.of(SlotExtractor.COMPANY)))
        .containsEntry(SlotExtractor.COMPANY, "Ромашка");
    assertThat(extractor.extract("Ромашка", Language.RU, Set.of())).doesNotContainKey(SlotExtractor.COMPANY);
    assertThat(extractor.extract("да", Language.RU, Set.of(SlotExtractor.COMPANY))).isEmpty();
  }

  @Test
  void busyIsNotAName() {
    assertThat(extractor.extract("I'm busy", Language.EN, Set.of())).doesNotContainKey(SlotExtractor.NAME);
    assertThat(extractor.extract("I'm Driving right now", Language.EN, Set.of())).doesNotContainKey(SlotExtractor.NAME);
  }
}
