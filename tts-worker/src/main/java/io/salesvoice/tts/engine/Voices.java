package io.salesvoice.tts.engine;

import java.util.Locale;
import java.util.Map;

/**
 * Picks an engine's voice: the request's own voice (per campaign) first, then the configured voice of the exact
 * language tag ({@code ru-RU}), then of its primary language ({@code ru}), then the engine's default.
 */
public record Voices(Map<String, String> byLanguage, String fallback) {

  public Voices {
    byLanguage = byLanguage == null ? Map.of() : Map.copyOf(byLanguage);
  }

  public String resolve(SpeechRequest request) {
    if (request.voice() != null) {
      return request.voice();
    }
    String tag = request.language();
    String voice = byLanguage.get(tag);
    if (voice == null) {
      voice = byLanguage.get(tag.toLowerCase(Locale.ROOT));
    }
    if (voice == null) {
      voice = byLanguage.get(primary(tag));
    }
    return voice != null ? voice : fallback;
  }

  /** {@code ru-RU} → {@code ru}. */
  public static String primary(String languageTag) {
    int dash = languageTag.indexOf('-');
    String p = dash < 0 ? languageTag : languageTag.substring(0, dash);
    return p.toLowerCase(Locale.ROOT);
  }
}
