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
    // Most names are ASCII: lower-cased and filtered in one pass. Others take the full Unicode rules.
    StringBuilder ascii = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        return unicode(s);
      }
      if (c >= 'A' && c <= 'Z') {
        ascii.append((char) (c + ('a' - 'A')));
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        ascii.append(c);
      }
    }
    return ascii.toString();
  }

  private static String unicode(String s) {
    StringBuilder b = new StringBuilder(s.length());
    s.toLowerCase(Locale.ROOT).codePoints().filter(Character::isLetterOrDigit).forEach(b::appendCodePoint);
    return b.toString();
  }
}
