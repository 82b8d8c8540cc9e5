package io.salesvoice.tts.engine;

import static io.salesvoice.tts.engine.SpeechAssertions.assertSpeech;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.salesvoice.tts.audio.PcmBlock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FreeTtsTextToSpeechTest {

  private static FreeTtsTextToSpeech engine;

  @BeforeAll
  static void start() {
    engine = new FreeTtsTextToSpeech(new FreeTtsTextToSpeech.Settings("kevin16", 150f, 1));
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  @Test
  void speaksEnglishAt16kHz() {
    List<PcmBlock> blocks = engine.synthesize(SpeechRequest.of(
            "Hello, this is Anna from the sales department.", "en-US"))
        .collectList().block(Duration.ofSeconds(30));
    assertSpeech(blocks, 16000, Duration.ofMillis(1500), Duration.ofMillis(6000));
  }

  @Test
  void theEngineWorksOnItsOwnBoundedScheduler() {
    List<String> threads = engine.synthesize(SpeechRequest.of("Hello.", "en"))
        .map(b -> Thread.currentThread().getName())
        .subscribeOn(reactor.core.scheduler.Schedulers.parallel())
        .collectList().block(Duration.ofSeconds(30));
    // Audio arrives from FreeTTS's own output thread (speak() blocks on tts-freetts): never a non-blocking one.
    assertThat(threads).isNotEmpty().allSatisfy(t -> assertThat(t).doesNotStartWith("parallel"));
  }

  @Test
  void refusesRussian() {
    assertThatThrownBy(() -> engine.synthesize(SpeechRequest.of("Здравствуйте", "ru")).blockLast())
        .isInstanceOf(SpeechSynthesisException.class)
        .hasMessageContaining("English only");
  }
}
