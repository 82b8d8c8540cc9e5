package io.salesvoice.tts.engine;

import static io.salesvoice.tts.engine.SpeechAssertions.assertSpeech;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.salesvoice.tts.audio.PcmBlock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real eSpeak NG (Debian {@code espeak-ng}); CI installs it. */
class ESpeakNgTextToSpeechTest {

  private static ESpeakNgTextToSpeech engine;

  @BeforeAll
  static void start() {
    assumeTrue(ESpeakNgTextToSpeech.isInstalled("espeak-ng"), "espeak-ng is not installed: apt-get install espeak-ng");
    engine = new ESpeakNgTextToSpeech(ESpeakNgTextToSpeech.Settings.defaults());
  }

  @AfterAll
  static void stop() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void speaksRussian() {
    List<PcmBlock> blocks = engine.synthesize(SpeechRequest.of(
            "Здравствуйте! Меня зовут Анна, я звоню из отдела продаж.", "ru-RU"))
        .collectList().block(Duration.ofSeconds(20));
    // About 14 syllables a couple of seconds of speech at 165 words per minute.
    assertSpeech(blocks, 22050, Duration.ofMillis(2000), Duration.ofMillis(7000));
  }

  @Test
  void speaksEnglish() {
    List<PcmBlock> blocks = engine.synthesize(SpeechRequest.of(
            "Hello, this is Anna from the sales department.", "en-US"))
        .collectList().block(Duration.ofSeconds(20));
    assertSpeech(blocks, 22050, Duration.ofMillis(1500), Duration.ofMillis(6000));
  }

  @Test
  void longerTextComesOutInSeveralBlocksBeforeTheEngineFinishes() {
    List<PcmBlock> blocks = engine.synthesize(SpeechRequest.of(
            "This is the first sentence. Here comes a second one. And a third sentence closes the paragraph.", "en"))
        .collectList().block(Duration.ofSeconds(20));
    assertThat(blocks.size()).isGreaterThan(10);
    assertThat(blocks.get(0).durationMs()).isLessThan(100);
  }

  @Test
  void cancellingStopsTheProcess() throws InterruptedException {
    // 400 words are minutes of audio: an engine left running would block on its full stdout pipe, alive, forever.
    List<PcmBlock> first = engine.synthesize(SpeechRequest.of("word ".repeat(400), "en"))
        .take(3).collectList().block(Duration.ofSeconds(20));
    assertThat(first).hasSize(3);
    int warm = 2 * 2;   // two warm processes for each of the two configured voices
    long alive = Long.MAX_VALUE;
    for (int i = 0; i < 50 && alive > warm; i++) {
      Thread.sleep(100);
      alive = ProcessHandle.current().children()
          .filter(p -> p.info().command().orElse("").endsWith("espeak-ng"))
          .count();
    }
    assertThat(alive).as("espeak-ng processes left: the warm ones only").isLessThanOrEqualTo(warm);
  }

  @Test
  void theEngineWorksOnItsOwnBoundedSchedulerNotTheSubscribers() {
    List<String> threads = engine.synthesize(SpeechRequest.of("Hello there.", "en"))
        .map(b -> Thread.currentThread().getName())
        .subscribeOn(reactor.core.scheduler.Schedulers.parallel())
        .collectList().block(Duration.ofSeconds(20));
    assertThat(threads).isNotEmpty().allSatisfy(t -> assertThat(t).startsWith("tts-espeak"));
  }

  @Test
  void aVoiceThatDoesNotExistIsAnEngineError() {
    assertThatThrownBy(() -> engine.synthesize(new SpeechRequest("hello", "en", "no-such-voice-xx"))
        .collectList().block(Duration.ofSeconds(20)))
        .isInstanceOf(SpeechSynthesisException.class)
        .hasMessageContaining("no-such-voice-xx");
  }

  @Test
  void voicesFollowTheLanguageUnlessTheTurnNamesOne() {
    Voices voices = new Voices(Map.of("ru", "ru", "en", "en-us", "en-GB", "en-gb"), "en-us");
    assertThat(voices.resolve(SpeechRequest.of("x", "ru-RU"))).isEqualTo("ru");
    assertThat(voices.resolve(SpeechRequest.of("x", "en-GB"))).isEqualTo("en-gb");
    assertThat(voices.resolve(SpeechRequest.of("x", "de"))).isEqualTo("en-us");
    assertThat(voices.resolve(new SpeechRequest("x", "ru", "ru-lv"))).isEqualTo("ru-lv");
  }
}
