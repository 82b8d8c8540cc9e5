package io.salesvoice.dialog.nlu;

import java.util.Locale;

/** The languages the embedded engine understands; everything else is treated as English. */
public enum Language {
  RU("ru-RU"), EN("en-US");

  private final String tag;

  Language(String tag) {
    this.tag = tag;
  }

  /** The BCP 47 tag, e.g. {@code ru-RU}. */
  public String tag() {
    return tag;
  }

  public Locale locale() {
    return Locale.forLanguageTag(tag);
  }

  /** {@code ru}, {@code ru-RU}, {@code RU} → RU; anything else → EN. */
  public static Language of(String tag) {
    if (tag == null) {
      return EN;
    }
    return tag.toLowerCase(Locale.ROOT).startsWith("ru") ? RU : EN;
  }
}
