package io.salesvoice.tts;

import io.salesvoice.tts.engine.ESpeakNgTextToSpeech;
import io.salesvoice.tts.engine.FestivalTextToSpeech;
import io.salesvoice.tts.engine.FreeTtsTextToSpeech;
import io.salesvoice.tts.engine.OpenAiTextToSpeech;
import io.salesvoice.tts.engine.TextToSpeech;
import io.salesvoice.tts.engine.Voices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that turns {@code sva.tts.engine} into an engine, with FreeTTS standing in for a missing eSpeak NG. */
public final class TextToSpeechFactory {

  private static final Logger log = LoggerFactory.getLogger(TextToSpeechFactory.class);

  private TextToSpeechFactory() {
  }

  public static TextToSpeech create(TtsProperties p) {
    return switch (p.engine()) {
      case ESPEAK -> {
        if (ESpeakNgTextToSpeech.isInstalled(p.espeak().executable())) {
          yield espeak(p.espeak());
        }
        log.warn("{} is not installed (apt-get install espeak-ng): speaking English with FreeTTS instead",
            p.espeak().executable());
        yield freetts(p.freetts());
      }
      case FREETTS -> freetts(p.freetts());
      case FESTIVAL -> festival(p.festival());
      case OPENAI -> openai(p.openai());
    };
  }

  private static TextToSpeech espeak(TtsProperties.Espeak e) {
    return new ESpeakNgTextToSpeech(new ESpeakNgTextToSpeech.Settings(e.executable(),
        new Voices(e.voices(), e.defaultVoice()), e.wordsPerMinute(), e.pitch(), e.warmProcesses(),
        e.maxConcurrency()));
  }

  private static TextToSpeech freetts(TtsProperties.FreeTts f) {
    return new FreeTtsTextToSpeech(new FreeTtsTextToSpeech.Settings(f.voice(), f.wordsPerMinute(), f.maxConcurrency()));
  }

  private static TextToSpeech festival(TtsProperties.Festival f) {
    if (!FestivalTextToSpeech.isInstalled(f.executable(), f.defaultVoice())) {
      throw new IllegalStateException("sva.tts.engine=festival but Festival or its voice " + f.defaultVoice()
          + " is not installed: apt-get install festival festvox-ru");
    }
    FestivalTextToSpeech engine = new FestivalTextToSpeech(new FestivalTextToSpeech.Settings(f.executable(),
        new Voices(f.voices(), f.defaultVoice()), f.maxConcurrency()));
    engine.warmUp().subscribe(null, e -> log.warn("Festival warm-up failed: {}", e.getMessage()));
    return engine;
  }

  private static TextToSpeech openai(TtsProperties.OpenAi o) {
    return new OpenAiTextToSpeech(new OpenAiTextToSpeech.Settings(o.baseUrl(), o.apiKey(), o.model(),
        new Voices(o.voices(), o.defaultVoice()), o.instructions(), o.maxRetries(), o.timeout(), o.maxConcurrency()));
  }
}
