package io.salesvoice.tts.engine;

import java.util.Objects;

/**
 * What to say and how: text already normalised for speech, BCP 47 language ({@code ru-RU}, {@code en}) and an optional
 * engine-specific voice that overrides the engine's voice for the language (voice per campaign).
 */
public record SpeechRequest(String text, String language, String voice) {

  public SpeechRequest {
    Objects.requireNonNull(text, "text");
    language = language == null || language.isBlank() ? "en" : language;
    voice = voice == null || voice.isBlank() ? null : voice;
  }

  public static SpeechRequest of(String text, String language) {
    return new SpeechRequest(text, language, null);
  }
}
