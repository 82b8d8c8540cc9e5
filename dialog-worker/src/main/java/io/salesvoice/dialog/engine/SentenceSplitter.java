package io.salesvoice.dialog.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts text into sentences for speech: at {@code .!?…} followed by a space, not inside numbers ("1.5", "15:00") nor
 * after common abbreviations. Works incrementally on streamed tokens, so the first sentence can be spoken while the
 * rest is still being written.
 */
public final class SentenceSplitter {

  private static final List<String> ABBREVIATIONS = List.of("т.е.", "т.к.", "т.д.", "т.п.", "г.", "руб.", "тыс.",
      "млн.", "e.g.", "i.e.", "mr.", "mrs.", "ms.", "dr.", "etc.", "vs.", "no.");
  private final StringBuilder buffer = new StringBuilder();

  /** Splits complete text in one go. */
  public static List<String> split(String text) {
    SentenceSplitter s = new SentenceSplitter();
    List<String> out = new ArrayList<>(s.add(text));
    s.finish().ifPresent(out::add);
    return out;
  }

  /** Adds streamed text; returns the sentences it completed. */
  public List<String> add(String token) {
    buffer.append(token);
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < buffer.length(); i++) {
      char c = buffer.charAt(i);
      if ((c == '.' || c == '!' || c == '?' || c == '…') && i + 1 < buffer.length()
          && Character.isWhitespace(buffer.charAt(i + 1))) {
        int end = i + 1;
        while (end < buffer.length() && (buffer.charAt(end) == '"' || buffer.charAt(end) == '»')) {
          end++;
        }
        String candidate = buffer.substring(start, end).trim();
        if (c == '.' && endsWithAbbreviation(candidate)) {
          continue;
        }
        if (!candidate.isEmpty()) {
          out.add(candidate);
        }
        start = end;
      }
    }
    buffer.delete(0, start);
    return out;
  }

  /** The rest of the text once the stream ended, if any. */
  public java.util.Optional<String> finish() {
    String rest = buffer.toString().trim();
    buffer.setLength(0);
    return rest.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(rest);
  }

  private static boolean endsWithAbbreviation(String s) {
    String lower = s.toLowerCase(java.util.Locale.ROOT);
    for (String a : ABBREVIATIONS) {
      if (lower.endsWith(" " + a) || lower.equals(a)) {
        return true;
      }
    }
    return false;
  }
}
