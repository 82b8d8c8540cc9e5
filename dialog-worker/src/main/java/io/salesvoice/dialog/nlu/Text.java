package io.salesvoice.dialog.nlu;

import java.util.Locale;
import java.util.regex.Pattern;

/** Normalises what speech-to-text wrote so rules can match it: lower case, ё as е, punctuation as spaces. */
public final class Text {

  private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{Nd}:@.'+\\-]+");
  private static final Pattern SPACES = Pattern.compile("\\s+");

  private Text() {
  }

  /** Lower case, {@code ё → е}, punctuation (but the colon of times, the @ and dots of emails) replaced by spaces. */
  public static String normalize(String text) {
    if (text == null) {
      return "";
    }
    String s = text.toLowerCase(Locale.ROOT).replace('ё', 'е').replace('’', '\'').replaceAll("(\\d),(\\d)", "$1.$2");
    s = NOT_WORD.matcher(s).replaceAll(" ");
    // A dot or hyphen that ends a word is punctuation, not part of an email or a time.
    s = s.replaceAll("(?<=\\S)[.\\-]+(?=\\s|$)", " ").replaceAll("(?<=\\s|^)[.\\-]+", " ");
    return SPACES.matcher(s).replaceAll(" ").trim();
  }

  /** True when the utterance asks something: a question mark, or it starts with a question word. */
  public static boolean isQuestion(String raw, Language language) {
    if (raw != null && raw.trim().endsWith("?")) {
      return true;
    }
    String n = " " + normalize(raw) + " ";
    return language == Language.RU
        ? n.matches("^ (а |и |скажите |подскажите |а скажите )?(что|как|какой|какая|какие|каким|где|зачем|почему|"
            + "сколько|можно ли|есть ли|а есть|умеет|поддерживает|работает ли|чем|когда|кто|куда|нужно ли|надо ли)\\s.*")
        : !n.startsWith(" why not") && n.matches("^ (and |so |but )?(what|what's|how|does|do|can|could|is|are|which|why|where|when|who|will|would)\\s.*");
  }
}
