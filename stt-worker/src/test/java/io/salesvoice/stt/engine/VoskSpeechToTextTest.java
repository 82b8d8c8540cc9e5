package io.salesvoice.stt.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vosk's native library loads here, but no model can be obtained on this machine (users supply one): these tests cover
 * the configuration errors a user meets first and the reading of Vosk's documented JSON results. Recognition itself is
 * not tested here.
 */
class VoskSpeechToTextTest {

  @Test
  void noModelConfiguredIsAStartUpErrorSayingWhatToSet() {
    assertThatThrownBy(() -> new VoskSpeechToText(new VoskSpeechToText.Settings(Map.of(), 16_000, 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("sva.stt.vosk.models.");
  }

  @Test
  void aModelDirectoryThatDoesNotExistIsNamedInTheError(@TempDir Path dir) {
    Path missing = dir.resolve("vosk-model-small-ru-0.22");
    assertThatThrownBy(() -> new VoskSpeechToText(new VoskSpeechToText.Settings(Map.of("ru", missing), 16_000, 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ru")
        .hasMessageContaining(missing.toString());
  }

  @Test
  void aDirectoryThatIsNoVoskModelIsRefusedByTheRealLibrary(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("README"), "not a model");
    assertThatThrownBy(() -> new VoskSpeechToText(new VoskSpeechToText.Settings(Map.of("ru-RU", dir), 16_000, 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot be loaded")
        .hasMessageContaining(dir.toString());
  }

  @Test
  void readsTheTextOfFinalAndPartialResults() {
    assertThat(VoskSpeechToText.textOf("{\n  \"text\" : \"да удобно\"\n}")).isEqualTo("да удобно");
    assertThat(VoskSpeechToText.textOf("{\n  \"partial\" : \"сколько\"\n}")).isEqualTo("сколько");
    assertThat(VoskSpeechToText.textOf("{\n  \"text\" : \"\"\n}")).isEmpty();
  }

  @Test
  void confidenceIsTheMeanOfTheWordsConfidences() {
    String withWords = """
        {"result": [{"conf": 1.0, "end": 1.2, "start": 0.9, "word": "сколько"},
                    {"conf": 0.5, "end": 1.6, "start": 1.2, "word": "стоит"}],
         "text": "сколько стоит"}""";
    assertThat(VoskSpeechToText.confidenceOf(withWords)).isEqualTo(0.75f);
    assertThat(VoskSpeechToText.confidenceOf("{\"text\": \"\"}")).isEqualTo(1f);
  }

  @Test
  void somethingThatIsNotJsonIsAClearError() {
    assertThatThrownBy(() -> VoskSpeechToText.textOf("Segmentation fault"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not its JSON result");
  }
}
