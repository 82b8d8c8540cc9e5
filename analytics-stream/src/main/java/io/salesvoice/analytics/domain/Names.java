package io.salesvoice.analytics.domain;

import java.util.Locale;

/** Script states, intents and phrases are compared loosely: case, spaces, dashes and underscores do not matter. */
public final class Names {

  private Names() {
  }

  public static String normalize(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length());
    s.toLowerCase(Locale.ROOT).codePoints().filter(Character::isLetterOrDigit).forEach(b::appendCodePoint);
    return b.toString();
  }
}
