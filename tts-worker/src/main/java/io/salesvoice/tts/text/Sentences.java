package io.salesvoice.tts.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Splits a text into sentences, so engines that speak whole utterances can start on the first while the rest waits. */
public final class Sentences {

  private static final Pattern BOUNDARY = Pattern.compile("(?<=[.!?…;])\\s+(?=\\S)");

  private Sentences() {
  }

  public static List<String> split(String text) {
    List<String> out = new ArrayList<>();
    for (String s : BOUNDARY.split(text.strip())) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }
}
