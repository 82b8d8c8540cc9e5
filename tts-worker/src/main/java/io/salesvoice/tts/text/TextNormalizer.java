package io.salesvoice.tts.text;

import io.salesvoice.tts.text.RussianNumbers.Gender;
import java.util.List;
import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * Writes out what a sales script puts in digits and symbols — prices, percentages, dates, times, ordinals, plain
 * numbers — as the words a person says, in Russian or English. Engines differ wildly here (Festival's Russian voice
 * spells digits badly, eSpeak NG reads "25.12.2024" as three numbers), so the worker normalises before any engine.
 */
public final class TextNormalizer {

  private static final String[] RU_MONTHS_GENITIVE = {"января", "февраля", "марта", "апреля", "мая", "июня", "июля",
      "августа", "сентября", "октября", "ноября", "декабря"};
  private static final String[] EN_MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August",
      "September", "October", "November", "December"};

  /** A number as written: digits with optional thousands groups and decimals, per language. */
  private static final String EN_NUMBER = "\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?";
  private static final String RU_NUMBER = "\\d{1,3}(?:[ \\u00A0\\u202F]\\d{3})+(?:[.,]\\d+)?|\\d+(?:[.,]\\d+)?";

  private static final Pattern DATE_DMY = Pattern.compile("\\b(\\d{1,2})([./])(\\d{1,2})\\2(\\d{4})\\b");
  private static final Pattern DATE_ISO = Pattern.compile("\\b(\\d{4})-(\\d{2})-(\\d{2})\\b");
  private static final Pattern TIME = Pattern.compile("\\b([01]?\\d|2[0-3]):([0-5]\\d)\\b");
  private static final Pattern RU_DAY_MONTH = Pattern.compile(
      "\\b(\\d{1,2})\\s+(" + String.join("|", RU_MONTHS_GENITIVE) + ")(?:\\s+(\\d{4})(?:\\s*(?:года|г\\.))?)?",
      Pattern.UNICODE_CASE | Pattern.CASE_INSENSITIVE);
  private static final Pattern EN_MONTH_DAY = Pattern.compile(
      "\\b(" + String.join("|", EN_MONTHS) + ")\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s+(\\d{4})\\b)?");
  private static final Pattern EN_ORDINAL = Pattern.compile("\\b(\\d+)(?:st|nd|rd|th)\\b");
  private static final Pattern RU_CURRENCY_BEFORE = Pattern.compile("([$€₽])\\s?(" + RU_NUMBER + ")");
  private static final Pattern EN_CURRENCY_BEFORE = Pattern.compile("([$€£₽])\\s?(" + EN_NUMBER + ")");
  private static final Pattern RU_CURRENCY_AFTER = Pattern.compile(
      "(" + RU_NUMBER + ")\\s?(₽|руб\\.|р\\.|RUB|\\$|USD|€|EUR)(?=$|[\\s,;!?)]|\\.)", Pattern.UNICODE_CASE);
  private static final Pattern EN_CURRENCY_AFTER = Pattern.compile(
      "(" + EN_NUMBER + ")\\s?(₽|RUB|rubles|USD|EUR)\\b");
  private static final Pattern RU_PERCENT = Pattern.compile("(" + RU_NUMBER + ")\\s?%");
  private static final Pattern EN_PERCENT = Pattern.compile("(" + EN_NUMBER + ")\\s?%");
  private static final Pattern RU_PLAIN = Pattern.compile(RU_NUMBER);
  private static final Pattern EN_PLAIN = Pattern.compile(EN_NUMBER);
  /** Phone numbers: a leading plus, brackets or dashes and at least seven digits; read group by group. */
  private static final Pattern PHONE = Pattern.compile("(?<![\\w+])\\+?\\d[\\d\\s()\\-]{5,}\\d(?!\\w)");
  private static final Pattern SPACES = Pattern.compile("\\s{2,}");
  private static final Pattern SPACE_BEFORE_PUNCTUATION = Pattern.compile("\\s+([,.!?;:)])");

  /** Normalises {@code text} for the language of the BCP 47 tag; languages other than Russian get English rules. */
  public String normalize(String text, String language) {
    if (text == null || text.isBlank()) {
      return "";
    }
    boolean russian = language != null && language.toLowerCase().startsWith("ru");
    String t = russian ? russian(text) : english(text);
    t = SPACES.matcher(t).replaceAll(" ");
    return SPACE_BEFORE_PUNCTUATION.matcher(t).replaceAll("$1").strip();
  }

  private String russian(String text) {
    String t = text;
    t = replace(t, DATE_DMY, m -> ruDate(m.group(1), m.group(3), m.group(4)));
    t = replace(t, DATE_ISO, m -> ruDate(m.group(3), m.group(2), m.group(1)));
    t = replace(t, RU_DAY_MONTH, m -> {
      String s = RussianNumbers.ordinalNeuter(Long.parseLong(m.group(1))) + " " + m.group(2).toLowerCase();
      return m.group(3) == null ? s : s + " " + RussianNumbers.ordinalGenitive(Long.parseLong(m.group(3))) + " года";
    });
    t = replace(t, TIME, m -> ruTime(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
    t = phones(t, "плюс", g -> digitsOrNumber(g, RussianNumbers::cardinal, TextNormalizer::ruDigit));
    t = replace(t, RU_CURRENCY_BEFORE, m -> ruMoney(m.group(2), m.group(1)));
    t = replace(t, RU_CURRENCY_AFTER, m -> ruMoney(m.group(1), m.group(2)));
    t = replace(t, RU_PERCENT, m -> ruCounted(m.group(1), "процент", "процента", "процентов", Gender.MASCULINE));
    t = replace(t, RU_PLAIN, m -> ruNumber(m.group()));
    return t.replace("№", " номер ").replace("&", " и ").replace("+", " плюс ");
  }

  private String english(String text) {
    String t = text;
    t = replace(t, DATE_ISO, m -> enDate(m.group(3), m.group(2), m.group(1)));
    // 25.12.2024 is day first; 12/25/2024 is the American month first.
    t = replace(t, DATE_DMY, m -> m.group(2).equals("/")
        ? enDate(m.group(3), m.group(1), m.group(4)) : enDate(m.group(1), m.group(3), m.group(4)));
    t = replace(t, EN_MONTH_DAY, m -> m.group(1) + " " + EnglishNumbers.ordinal(Long.parseLong(m.group(2)))
        + (m.group(3) == null ? "" : ", " + EnglishNumbers.year(Integer.parseInt(m.group(3)))));
    t = replace(t, TIME, m -> enTime(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
    t = phones(t, "plus", g -> spell(g, d -> EnglishNumbers.cardinal(d)));
    t = replace(t, EN_CURRENCY_BEFORE, m -> enMoney(m.group(2), m.group(1)));
    t = replace(t, EN_CURRENCY_AFTER, m -> enMoney(m.group(1), m.group(2)));
    t = replace(t, EN_PERCENT, m -> enNumber(m.group(1)) + " percent");
    t = replace(t, EN_ORDINAL, m -> EnglishNumbers.ordinal(Long.parseLong(m.group(1))));
    t = replace(t, EN_PLAIN, m -> enNumber(m.group()));
    return t.replace("&", " and ").replace("№", " number ").replace("+", " plus ");
  }

  // --- Russian ---------------------------------------------------------------------------------------------------

  private static String ruDate(String day, String month, String year) {
    int m = Integer.parseInt(month);
    int d = Integer.parseInt(day);
    if (m < 1 || m > 12 || d < 1 || d > 31) {
      return day + " " + month + " " + year;   // not a date: the plain-number rule speaks the parts
    }
    return RussianNumbers.ordinalNeuter(d) + " " + RU_MONTHS_GENITIVE[m - 1] + " "
        + RussianNumbers.ordinalGenitive(Long.parseLong(year)) + " года";
  }

  private static String ruTime(int h, int m) {
    String hours = RussianNumbers.cardinal(h);
    if (m == 0) {
      return hours + " " + RussianNumbers.plural(h, "час", "часа", "часов") + " ровно";
    }
    return hours + " " + (m < 10 ? "ноль " : "") + RussianNumbers.cardinal(m);
  }

  private static String ruMoney(String amount, String currency) {
    return switch (currency) {
      case "$", "USD" -> ruAmount(amount, "доллар", "доллара", "долларов", "цент", "цента", "центов", Gender.MASCULINE);
      case "€", "EUR" -> ruAmount(amount, "евро", "евро", "евро", "цент", "цента", "центов", Gender.NEUTER);
      default -> ruAmount(amount, "рубль", "рубля", "рублей", "копейка", "копейки", "копеек", Gender.FEMININE);
    };
  }

  private static String ruAmount(String amount, String one, String few, String many, String cOne, String cFew,
                                 String cMany, Gender centGender) {
    String[] parts = splitDecimal(amount, true);
    long whole = Long.parseLong(parts[0]);
    Gender gender = one.equals("евро") ? Gender.NEUTER : Gender.MASCULINE;
    String s = RussianNumbers.cardinal(whole, gender) + " " + RussianNumbers.plural(whole, one, few, many);
    if (parts[1] != null) {
      long cents = Long.parseLong((parts[1] + "0").substring(0, 2));
      if (cents > 0) {
        s += " " + RussianNumbers.cardinal(cents, centGender) + " " + RussianNumbers.plural(cents, cOne, cFew, cMany);
      }
    }
    return s;
  }

  private static String ruCounted(String amount, String one, String few, String many, Gender gender) {
    String[] parts = splitDecimal(amount, true);
    if (parts[1] != null) {
      return ruNumber(amount) + " " + few;   // "две целых пять десятых процента"
    }
    long n = Long.parseLong(parts[0]);
    return RussianNumbers.cardinal(n, gender) + " " + RussianNumbers.plural(n, one, few, many);
  }

  private static String ruNumber(String written) {
    String[] parts = splitDecimal(written, true);
    if (parts[1] == null) {
      return digitsOrNumber(parts[0], RussianNumbers::cardinal, TextNormalizer::ruDigit);
    }
    long whole = Long.parseLong(parts[0]);
    String fraction = parts[1];
    String wholeWords = RussianNumbers.cardinal(whole, Gender.FEMININE) + " "
        + RussianNumbers.plural(whole, "целая", "целых", "целых");
    if (fraction.length() <= 3) {
      long f = Long.parseLong(fraction);
      String[][] names = {{"десятая", "десятых"}, {"сотая", "сотых"}, {"тысячная", "тысячных"}};
      String[] name = names[fraction.length() - 1];
      return wholeWords + " " + RussianNumbers.cardinal(f, Gender.FEMININE) + " "
          + RussianNumbers.plural(f, name[0], name[1], name[1]);
    }
    return wholeWords + " " + spell(fraction, TextNormalizer::ruDigit);
  }

  private static String ruDigit(int d) {
    return RussianNumbers.cardinal(d);
  }

  // --- English ---------------------------------------------------------------------------------------------------

  private static String enDate(String day, String month, String year) {
    int m = Integer.parseInt(month);
    int d = Integer.parseInt(day);
    if (m < 1 || m > 12 || d < 1 || d > 31) {
      return day + " " + month + " " + year;
    }
    return EN_MONTHS[m - 1] + " " + EnglishNumbers.ordinal(d) + ", " + EnglishNumbers.year(Integer.parseInt(year));
  }

  private static String enTime(int h, int m) {
    if (m == 0) {
      return EnglishNumbers.cardinal(h) + " o'clock";
    }
    return EnglishNumbers.cardinal(h) + " " + (m < 10 ? "oh " : "") + EnglishNumbers.cardinal(m);
  }

  private static String enMoney(String amount, String currency) {
    String[] names = switch (currency) {
      case "€", "EUR" -> new String[] {"euro", "euros", "cent", "cents"};
      case "£" -> new String[] {"pound", "pounds", "penny", "pence"};
      case "₽", "RUB", "rubles" -> new String[] {"ruble", "rubles", "kopeck", "kopecks"};
      default -> new String[] {"dollar", "dollars", "cent", "cents"};
    };
    String[] parts = splitDecimal(amount, false);
    long whole = Long.parseLong(parts[0]);
    String s = EnglishNumbers.cardinal(whole) + " " + (whole == 1 ? names[0] : names[1]);
    if (parts[1] != null) {
      long cents = Long.parseLong((parts[1] + "0").substring(0, 2));
      if (cents > 0) {
        s += " and " + EnglishNumbers.cardinal(cents) + " " + (cents == 1 ? names[2] : names[3]);
      }
    }
    return s;
  }

  private static String enNumber(String written) {
    String[] parts = splitDecimal(written, false);
    String whole = digitsOrNumber(parts[0], EnglishNumbers::cardinal, d -> EnglishNumbers.cardinal(d));
    return parts[1] == null ? whole : whole + " point " + spell(parts[1], d -> EnglishNumbers.cardinal(d));
  }

  private static String phones(String text, String plus, Function<String, String> group) {
    return PHONE.matcher(text).replaceAll(m -> {
      String p = m.group().strip();
      long digits = p.chars().filter(Character::isDigit).count();
      boolean looksLikePhone = p.startsWith("+") || p.contains("(") || p.contains("-");
      if (!looksLikePhone || digits < 7) {
        return java.util.regex.Matcher.quoteReplacement(m.group());
      }
      List<String> words = new java.util.ArrayList<>();
      if (p.startsWith("+")) {
        words.add(plus);
      }
      for (String g : p.split("[^0-9]+")) {
        if (!g.isEmpty()) {
          words.add(group.apply(g));
        }
      }
      return java.util.regex.Matcher.quoteReplacement(" " + String.join(", ", words) + " ");
    });
  }

  // --- shared ----------------------------------------------------------------------------------------------------

  /** Integer digits and decimal digits (or null), thousands separators removed. */
  private static String[] splitDecimal(String written, boolean commaIsDecimal) {
    String s = written.replaceAll("[ \\u00A0\\u202F]", "");
    if (!commaIsDecimal) {
      s = s.replace(",", "");
    } else {
      s = s.replace(',', '.');
    }
    int dot = s.indexOf('.');
    return dot < 0 ? new String[] {s, null} : new String[] {s.substring(0, dot), s.substring(dot + 1)};
  }

  /** Codes, phone numbers and numbers with leading zeros are read digit by digit, other numbers as numbers. */
  private static String digitsOrNumber(String digits, Function<Long, String> number,
                                       java.util.function.IntFunction<String> digit) {
    if (digits.length() > 1 && digits.startsWith("0") || digits.length() > 12) {
      return spell(digits, digit);
    }
    return number.apply(Long.parseLong(digits));
  }

  private static String spell(String digits, java.util.function.IntFunction<String> digit) {
    List<String> words = digits.chars().mapToObj(c -> digit.apply(c - '0')).toList();
    return String.join(" ", words);
  }

  private static String replace(String text, Pattern pattern, Function<MatchResult, String> words) {
    return pattern.matcher(text).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(" " + words.apply(m) + " "));
  }
}
