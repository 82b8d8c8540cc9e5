package io.salesvoice.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.salesvoice.tts.engine.TextToSpeech;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class TextToSpeechFactoryTest {

  @Test
  void freeTtsSpeaksWhenEspeakNgIsNotInstalled() {
    TtsProperties p = bind(Map.of("sva.tts.espeak.executable", "/nonexistent/espeak-ng"));
    assertThat(p.engine()).isEqualTo(TtsProperties.Engine.ESPEAK);
    try (TextToSpeech engine = TextToSpeechFactory.create(p)) {
      assertThat(engine.name()).isEqualTo("freetts");
    }
  }

  @Test
  void festivalThatIsNotInstalledStopsTheStartWithTheAptCommand() {
    TtsProperties p = bind(Map.of("sva.tts.engine", "festival", "sva.tts.festival.executable", "/nonexistent/festival"));
    assertThatThrownBy(() -> TextToSpeechFactory.create(p)).hasMessageContaining("apt-get install festival festvox-ru");
  }

  @Test
  void openAiWithoutAKeyStopsTheStart() {
    TtsProperties p = bind(Map.of("sva.tts.engine", "openai"));
    assertThatThrownBy(() -> TextToSpeechFactory.create(p)).hasMessageContaining("OPENAI_API_KEY");
  }

  @Test
  void openAiIsConfiguredByBaseUrlAndKey() {
    TtsProperties p = bind(Map.of("sva.tts.engine", "openai", "sva.tts.openai.api-key", "sk-test",
        "sva.tts.openai.base-url", "http://127.0.0.1:1/v1"));
    try (TextToSpeech engine = TextToSpeechFactory.create(p)) {
      assertThat(engine.name()).isEqualTo("openai");
    }
  }

  @Test
  void defaultsRunTheEmbeddedStack() {
    TtsProperties p = bind(Map.of());
    assertThat(p.defaultSampleRate()).isEqualTo(8000);
    assertThat(p.cache().maxBytes()).isPositive();
    assertThat(p.espeak().defaultVoice()).isEqualTo("en-us");
    assertThat(p.openai().model()).isEqualTo("gpt-4o-mini-tts");
  }

  private static TtsProperties bind(Map<String, String> values) {
    return new Binder(new MapConfigurationPropertySource(values))
        .bindOrCreate("sva.tts", TtsProperties.class);
  }
}
