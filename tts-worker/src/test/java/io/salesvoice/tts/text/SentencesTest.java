package io.salesvoice.tts.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SentencesTest {

  @Test
  void splitsAtSentenceEnds() {
    assertThat(Sentences.split(" Здравствуйте! Меня зовут Анна. Вам удобно говорить? ")).containsExactly(
        "Здравствуйте!", "Меня зовут Анна.", "Вам удобно говорить?");
    assertThat(Sentences.split("one sentence without an end")).containsExactly("one sentence without an end");
    assertThat(Sentences.split("   ")).isEmpty();
  }
}
