package io.salesvoice.tts.engine;

import static io.salesvoice.tts.engine.SpeechAssertions.assertSpeech;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.salesvoice.tts.audio.PcmBlock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real Festival with the Russian voice (Debian {@code festival festvox-ru}); CI installs them. */
class FestivalTextToSpeechTest {

  private static FestivalTextToSpeech engine;

  @BeforeAll
  static void start() {
    assumeTrue(FestivalTextToSpeech.isInstalled("festival", "msu_ru_nsh_clunits"),
        "Festival's Russian voice is not installed: apt-get install festival festvox-ru");
    engine = new FestivalTextToSpeech(new FestivalTextToSpeech.Settings("festival",
        FestivalTextToSpeech.Settings.defaults().voices(), 1));
  }

  @AfterAll
  static void stop() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void speaksRussianSentenceBySentence() {
    List<PcmBlock> blocks = engine.synthesize(SpeechRequest.of(
            "Здравствуйте! Меня зовут Анна, я звоню из отдела продаж. Вам удобно говорить?", "ru-RU"))
        .collectList().block(Duration.ofSeconds(60));
    assertThat(blocks).hasSize(3);
    assertSpeech(blocks, 16000, Duration.ofMillis(2500), Duration.ofMillis(9000));
  }

  @Test
  void quotesInTheTextDoNotBreakTheEngine() {
    List<PcmBlock> blocks = engine.synthesize(SpeechRequest.of("Тариф \"Бизнес\" стоит \\ недорого.", "ru"))
        .collectList().block(Duration.ofSeconds(60));
    assertSpeech(blocks, 16000, Duration.ofMillis(800), Duration.ofMillis(5000));
  }
}
