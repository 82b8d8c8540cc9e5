package io.salesvoice.stt.grammar;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Russian words spelled in ASCII for Sphinx4, and back. Sphinx4 5prealpha reads grammars and dictionaries in the
 * platform charset and has no Russian dictionary, so a Russian word enters a grammar as a token such as
 * {@code ru_perezvon1ite} ({@code перезвон+ите}); the dictionary derives its phones from the token and the transcript
 * shows the word again. The spelling is reversible: every letter has its own code and {@code h} and digits never stand
 * alone, so reading the longest code first gives the word back.
 */
public final class RussianTokens {

  public static final String PREFIX = "ru_";

  private static final String[][] CODES = {
      {"а", "a"}, {"б", "b"}, {"в", "v"}, {"г", "g"}, {"д", "d"}, {"е", "e"}, {"ё", "e2"}, {"ж", "zh"}, {"з", "z"},
      {"и", "i"}, {"й", "j"}, {"к", "k"}, {"л", "l"}, {"м", "m"}, {"н", "n"}, {"о", "o"}, {"п", "p"}, {"р", "r"},
      {"с", "s"}, {"т", "t"}, {"у", "u"}, {"ф", "f"}, {"х", "x"}, {"ц", "c"}, {"ч", "ch"}, {"ш", "sh"}, {"щ", "sh2"},
      {"ъ", "q"}, {"ы", "y"}, {"ь", "w"}, {"э", "e3"}, {"ю", "u2"}, {"я", "a2"}, {"+", "1"}, {"-", "-"}};

  private static final Map<Character, String> ENCODE;
  private static final Map<String, Character> DECODE;

  static {
    java.util.HashMap<Character, String> e = new java.util.HashMap<>();
    java.util.HashMap<String, Character> d = new java.util.HashMap<>();
    for (String[] c : CODES) {
      e.put(c[0].charAt(0), c[1]);
      d.put(c[1], c[0].charAt(0));
    }
    ENCODE = Map.copyOf(e);
    DECODE = Map.copyOf(d);
  }

  private RussianTokens() {
  }

  /** Whether the word is Russian: Cyrillic letters, optionally a stress mark and hyphens. */
  public static boolean isRussian(String word) {
    String w = normalize(word);
    boolean letter = false;
    for (char c : w.toCharArray()) {
      if (!ENCODE.containsKey(c)) {
        return false;
      }
      letter |= c != '+' && c != '-';
    }
    return letter;
  }

  /** The token of a Russian word; a combining acute accent after a vowel counts as a {@code +} before it. */
  public static String token(String word) {
    String w = normalize(word);
    StringBuilder b = new StringBuilder(PREFIX);
    for (char c : w.toCharArray()) {
      String code = ENCODE.get(c);
      if (code == null) {
        throw new IllegalArgumentException("not a Russian word: '" + word + "'");
      }
      b.append(code);
    }
    return b.toString();
  }

  /** The word a token stands for, with its stress mark if it had one; empty if it is not such a token. */
  public static Optional<String> word(String token) {
    if (token == null || !token.startsWith(PREFIX) || token.length() == PREFIX.length()) {
      return Optional.empty();
    }
    StringBuilder b = new StringBuilder();
    int i = PREFIX.length();
    while (i < token.length()) {
      Character c = null;
      int n = Math.min(3, token.length() - i);
      for (; n > 0; n--) {
        c = DECODE.get(token.substring(i, i + n));
        if (c != null) {
          break;
        }
      }
      if (c == null) {
        return Optional.empty();
      }
      b.append(c);
      i += n;
    }
    return Optional.of(b.toString());
  }

  /** Lower case, {@code ё} kept, a combining acute after a vowel moved before it as {@code +}. */
  static String normalize(String word) {
    String lower = word.toLowerCase(Locale.ROOT);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      if (c == '\u0301') {
        int v = b.length() - 1;
        if (v >= 0) {
          b.insert(v, '+');
        }
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
