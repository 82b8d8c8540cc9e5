package io.salesvoice.dialog.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesvoice.dialog.nlu.Language;
import io.salesvoice.dialog.support.TestKnowledge;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LuceneKnowledgeBaseTest {

  private final LuceneKnowledgeBase kb = TestKnowledge.shipped();

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "RU|Сколько это стоит?|Сколько стоит|990 рублей",
      "RU|а какие у вас цены|Сколько стоит|990 рублей",
      "RU|а пробный период есть?|пробный период|четырнадцать дней",
      "RU|а вы с Битриксом работаете?|Битрикс|Битрикс24",
      "RU|какие у вас есть интеграции|интеграции|amoCRM",
      "RU|а где вы храните данные|хранятся данные|152-ФЗ",
      "EN|How much does it cost?|How much does it cost|15 dollars",
      "EN|is there a free trial|free trial|fourteen days",
      "EN|does it work with HubSpot?|HubSpot|HubSpot",
      "EN|is my data secure?|secure|GDPR",
  })
  void answersFromTheRightSection(Language language, String question, String sourcePart, String answerPart) {
    KnowledgeAnswer answer = kb.answer("default", language, question).orElseThrow();
    assertThat(answer.source()).startsWith("kb/default/faq." + (language == Language.RU ? "ru" : "en") + ".md#")
        .contains(sourcePart);
    assertThat(answer.text()).contains(answerPart);
  }

  @Test
  void unrelatedQuestionsAndOtherBasesHaveNoAnswer() {
    assertThat(kb.answer("default", Language.EN, "what's the weather like in Paris")).isEmpty();
    assertThat(kb.answer("default", Language.RU, "и что")).isEmpty();
    assertThat(kb.answer("other-campaign", Language.EN, "How much does it cost?")).isEmpty();
  }

  @Test
  void aCampaignBaseIsSeparateFromTheDefault() {
    LuceneKnowledgeBase own = LuceneKnowledgeBase.build(List.of(KnowledgeDocument.fromPath("kb/acme/faq.en.md",
        "# Acme\n\n## How much does it cost?\nAcme costs 99 euros a month. Always.\n")), 0.1f);
    assertThat(own.answer("acme", Language.EN, "what's the price, how much does it cost").orElseThrow().text())
        .isEqualTo("Acme costs 99 euros a month. Always.");
    assertThat(own.answer("default", Language.EN, "how much does it cost")).isEmpty();
  }
}
