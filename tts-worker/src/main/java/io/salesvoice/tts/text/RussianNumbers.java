package io.salesvoice.tts.text;

/** Russian numerals in words: cardinals with gender, and the ordinal forms dates need (day, year). */
public final class RussianNumbers {

  /** Grammatical gender of the counted noun: {@code одна тысяча}, {@code один рубль}, {@code одно евро}. */
  public enum Gender { MASCULINE, FEMININE, NEUTER }

  private static final String[] UNITS = {"ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь",
      "девять"};
  private static final String[] TEENS = {"десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать",
      "пятнадцать", "шестнадцать", "семнадцать", "восемнадцать", "девятнадцать"};
  private static final String[] TENS = {"", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят",
      "семьдесят", "восемьдесят", "девяносто"};
  private static final String[] HUNDREDS = {"", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот",
      "семьсот", "восемьсот", "девятьсот"};

  private static final String[] UNIT_STEMS = {"", "перв", "втор", "трет", "четвёрт", "пят", "шест", "седьм", "восьм",
      "девят"};
  private static final String[] TEEN_STEMS = {"десят", "одиннадцат", "двенадцат", "тринадцат", "четырнадцат",
      "пятнадцат", "шестнадцат", "семнадцат", "восемнадцат", "девятнадцат"};
  private static final String[] TEN_STEMS = {"", "", "двадцат", "тридцат", "сороков", "пятидесят", "шестидесят",
      "семидесят", "восьмидесят", "девяност"};
  private static final String[] HUNDRED_STEMS = {"", "сот", "двухсот", "трёхсот", "четырёхсот", "пятисот", "шестисот",
      "семисот", "восьмисот", "девятисот"};
  private static final String[] THOUSAND_PREFIX = {"", "", "двух", "трёх", "четырёх", "пяти", "шести", "семи",
      "восьми", "девяти"};

  private RussianNumbers() {
  }

  public static String cardinal(long n) {
    return cardinal(n, Gender.MASCULINE);
  }

  public static String cardinal(long n, Gender gender) {
    if (n < 0) {
      return "минус " + cardinal(-n, gender);
    }
    if (n == 0) {
      return UNITS[0];
    }
    StringBuilder out = new StringBuilder();
    long billions = n / 1_000_000_000L;
    long millions = (n / 1_000_000) % 1000;
    long thousands = (n / 1000) % 1000;
    long rest = n % 1000;
    if (billions > 0) {
      append(out, triple(billions, Gender.MASCULINE) + " " + plural(billions, "миллиард", "миллиарда", "миллиардов"));
    }
    if (millions > 0) {
      append(out, triple(millions, Gender.MASCULINE) + " " + plural(millions, "миллион", "миллиона", "миллионов"));
    }
    if (thousands > 0) {
      // "тысяча", not "одна тысяча", at the head of a number
      String count = thousands == 1 && out.length() == 0 ? "" : triple(thousands, Gender.FEMININE) + " ";
      append(out, count + plural(thousands, "тысяча", "тысячи", "тысяч"));
    }
    if (rest > 0) {
      append(out, triple(rest, gender));
    }
    return out.toString();
  }

  /** The form of a noun after {@code n}: 1 рубль, 2 рубля, 5 рублей, 11 рублей, 21 рубль. */
  public static String plural(long n, String one, String few, String many) {
    long mod100 = Math.abs(n) % 100;
    long mod10 = Math.abs(n) % 10;
    if (mod100 >= 11 && mod100 <= 14) {
      return many;
    }
    if (mod10 == 1) {
      return one;
    }
    if (mod10 >= 2 && mod10 <= 4) {
      return few;
    }
    return many;
  }

  /** Ordinal, neuter nominative: the day of a date ({@code двадцать пятое}). */
  public static String ordinalNeuter(long n) {
    return ordinal(n, "ое", "ье");
  }

  /** Ordinal, masculine genitive: the year of a date ({@code две тысячи двадцать четвёртого}). */
  public static String ordinalGenitive(long n) {
    return ordinal(n, "ого", "ьего");
  }

  private static String ordinal(long n, String ending, String thirdEnding) {
    if (n <= 0 || n >= 1_000_000) {
      return cardinal(n);
    }
    long thousands = n / 1000;
    long rest = n % 1000;
    if (rest == 0) {
      String prefix = thousands == 1 ? "" : thousands < 10 ? THOUSAND_PREFIX[(int) thousands]
          : cardinal(thousands, Gender.FEMININE) + " ";
      return prefix + "тысячн" + ending;
    }
    String head = thousands == 0 ? "" : cardinal(thousands * 1000) + " ";
    long hundreds = rest / 100;
    long below = rest % 100;
    if (below == 0) {
      return head + HUNDRED_STEMS[(int) hundreds] + ending;
    }
    String hundredWord = hundreds == 0 ? "" : HUNDREDS[(int) hundreds] + " ";
    String last;
    if (below < 10) {
      last = below == 3 ? "трет" + thirdEnding : UNIT_STEMS[(int) below] + ending;
    } else if (below < 20) {
      last = TEEN_STEMS[(int) below - 10] + ending;
    } else if (below % 10 == 0) {
      last = TEN_STEMS[(int) below / 10] + ending;
    } else {
      long unit = below % 10;
      last = TENS[(int) below / 10] + " " + (unit == 3 ? "трет" + thirdEnding : UNIT_STEMS[(int) unit] + ending);
    }
    return head + hundredWord + last;
  }

  private static String triple(long n, Gender gender) {
    StringBuilder out = new StringBuilder();
    int h = (int) (n / 100);
    int below = (int) (n % 100);
    if (h > 0) {
      append(out, HUNDREDS[h]);
    }
    if (below >= 10 && below < 20) {
      append(out, TEENS[below - 10]);
    } else {
      if (below >= 20) {
        append(out, TENS[below / 10]);
      }
      int u = below % 10;
      if (u > 0) {
        append(out, unit(u, gender));
      }
    }
    return out.toString();
  }

  private static String unit(int u, Gender gender) {
    if (gender == Gender.FEMININE && u == 1) {
      return "одна";
    }
    if (gender == Gender.FEMININE && u == 2) {
      return "две";
    }
    if (gender == Gender.NEUTER && u == 1) {
      return "одно";
    }
    return UNITS[u];
  }

  private static void append(StringBuilder out, String word) {
    if (word.isEmpty()) {
      return;
    }
    if (out.length() > 0) {
      out.append(' ');
    }
    out.append(word);
  }
}
