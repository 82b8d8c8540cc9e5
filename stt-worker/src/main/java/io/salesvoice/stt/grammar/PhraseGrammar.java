package io.salesvoice.stt.grammar;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A JSGF grammar of the phrases a dialog state expects the customer to answer with ("да", "перезвоните позже",
 * "not interested"): one alternative per phrase. Russian words become {@link RussianTokens} (their pronunciation is
 * derived from the spelling); other words are kept only if the recognizer's dictionary knows them, and a phrase with a
 * word it cannot say is left out rather than failing the whole grammar.
 *
 * @param name a name derived from the phrases (the same phrases give the same name, so a grammar is built once),
 *     starting with {@code ru_} if it has Russian words
 * @param jsgf the grammar's text, ASCII only
 * @param phrases the phrases kept, normalized
 * @param dropped the phrases left out, each with why
 * @param russian whether a phrase has a Russian word (said through the Russian-to-ARPAbet rules)
 */
public record PhraseGrammar(String name, String jsgf, List<String> phrases, List<String> dropped, boolean russian) {

  /** A state's answers are dozens; thousands would make every utterance wait for its grammar to compile. */
  public static final int MAX_PHRASES = 500;

  private static final Pattern SEPARATORS = Pattern.compile("[\\s,.!?;:«»\"“”()…–—]+");
  private static final Pattern LATIN_WORD = Pattern.compile("[a-z]+(['-][a-z]+)*");

  public PhraseGrammar {
    phrases = List.copyOf(phrases);
    dropped = List.copyOf(dropped);
  }

  /**
   * The grammar of {@code expected}, or empty if not one phrase can be said.
   *
   * @param knownWord whether the recognizer's dictionary has a (non-Russian) word
   */
  public static Optional<PhraseGrammar> of(List<String> expected, Predicate<String> knownWord) {
    Set<String> alternatives = new LinkedHashSet<>();
    List<String> kept = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    for (String phrase : expected) {
      if (alternatives.size() == MAX_PHRASES) {
        dropped.add(phrase + " (more than " + MAX_PHRASES + " phrases)");
        continue;
      }
      String normalized = normalize(phrase);
      if (normalized.isEmpty()) {
        continue;
      }
      StringBuilder tokens = new StringBuilder();
      String unknown = null;
      for (String word : normalized.split(" ")) {
        String token;
        if (RussianTokens.isRussian(word)) {
          token = RussianTokens.token(word);
        } else if (LATIN_WORD.matcher(word).matches() && knownWord.test(word)) {
          token = word;
        } else {
          unknown = word;
          break;
        }
        tokens.append(tokens.length() == 0 ? "" : " ").append(token);
      }
      if (unknown != null) {
        dropped.add(phrase + " (no pronunciation for '" + unknown + "')");
      } else if (alternatives.add(tokens.toString())) {
        kept.add(normalized);
      }
    }
    if (alternatives.isEmpty()) {
      return Optional.empty();
    }
    List<String> sorted = new ArrayList<>(alternatives);
    sorted.sort(null);
    String body = String.join("\n    | ", sorted);
    boolean russian = body.contains(RussianTokens.PREFIX);
    String name = (russian ? RussianTokens.PREFIX : "") + "expected_" + hash(body);
    String jsgf = "#JSGF V1.0;\n\ngrammar " + name + ";\n\npublic <expected> = " + body + ";\n";
    return Optional.of(new PhraseGrammar(name, jsgf, kept, dropped, russian));
  }

  /**
   * A recognizer's hypothesis over such a grammar in words: Russian tokens in Cyrillic (without stress marks), the
   * out-of-grammar marker removed.
   */
  public static String words(String hypothesis) {
    if (hypothesis == null || hypothesis.isBlank()) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (String token : hypothesis.strip().split("\\s+")) {
      if (token.equals("<unk>")) {
        continue;
      }
      String word = RussianTokens.word(token).map(RussianPronunciation::plain).orElse(token);
      b.append(b.length() == 0 ? "" : " ").append(word);
    }
    return b.toString();
  }

  /** Lower case, punctuation gone, words separated by one space; stress marks and inner hyphens kept. */
  static String normalize(String phrase) {
    String lower = phrase.toLowerCase(Locale.ROOT).replace('’', '\'');
    List<String> words = new ArrayList<>();
    for (String w : SEPARATORS.split(lower)) {
      String t = w.replaceAll("^[-']+|[-']+$", "");
      if (!t.isEmpty()) {
        words.add(t);
      }
    }
    return String.join(" ", words);
  }

  private static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
