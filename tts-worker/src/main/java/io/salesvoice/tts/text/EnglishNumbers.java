package io.salesvoice.tts.text;

/** English numerals in words: cardinals, ordinals and years as people say them. */
public final class EnglishNumbers {

  private static final String[] UNITS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
      "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
  private static final String[] TENS = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
      "ninety"};
  private static final String[][] SCALES = {{"1000000000", "billion"}, {"1000000", "million"}, {"1000", "thousand"}};

  private EnglishNumbers() {
  }

  public static String cardinal(long n) {
    if (n < 0) {
      return "minus " + cardinal(-n);
    }
    if (n < 20) {
      return UNITS[(int) n];
    }
    if (n < 100) {
      return TENS[(int) n / 10] + (n % 10 == 0 ? "" : "-" + UNITS[(int) n % 10]);
    }
    if (n < 1000) {
      return UNITS[(int) n / 100] + " hundred" + (n % 100 == 0 ? "" : " " + cardinal(n % 100));
    }
    for (String[] scale : SCALES) {
      long size = Long.parseLong(scale[0]);
      if (n >= size) {
        return cardinal(n / size) + " " + scale[1] + (n % size == 0 ? "" : " " + cardinal(n % size));
      }
    }
    throw new IllegalStateException("unreachable");
  }

  public static String ordinal(long n) {
    String c = cardinal(n);
    int cut = Math.max(c.lastIndexOf(' '), c.lastIndexOf('-')) + 1;
    String head = c.substring(0, cut);
    String last = c.substring(cut);
    String o = switch (last) {
      case "one" -> "first";
      case "two" -> "second";
      case "three" -> "third";
      case "five" -> "fifth";
      case "eight" -> "eighth";
      case "nine" -> "ninth";
      case "twelve" -> "twelfth";
      default -> last.endsWith("y") ? last.substring(0, last.length() - 1) + "ieth" : last + "th";
    };
    return head + o;
  }

  /** 1990 → nineteen ninety, 2005 → two thousand five, 2024 → twenty twenty-four, 1905 → nineteen oh five. */
  public static String year(int y) {
    if (y < 1100 || y >= 10000 || (y >= 2000 && y < 2010) || y % 1000 == 0) {
      return cardinal(y);
    }
    int head = y / 100;
    int tail = y % 100;
    if (tail == 0) {
      return cardinal(head) + " hundred";
    }
    return cardinal(head) + (tail < 10 ? " oh " : " ") + cardinal(tail);
  }
}
