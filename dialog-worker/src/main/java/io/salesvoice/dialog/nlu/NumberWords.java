package io.salesvoice.dialog.nlu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns spoken numbers into digits ("двадцать пять тысяч" → 25000, "twenty-one" → 21) so that the slot and time rules
 * only need to match digits. Runs combine only in the order people say them: "десять тридцать" stays "10 30".
 */
public final class NumberWords {

  private enum Kind { UNIT, TEEN, TEN, HUNDRED, MULTIPLIER, HUNDRED_MULTIPLIER }

  private record Word(long value, Kind kind) {
  }

  private static final Map<String, Word> RU = new HashMap<>();
  private static final Map<String, Word> EN = new HashMap<>();

  static {
    ru(0, Kind.UNIT, "ноль", "нуль");
    ru(1, Kind.UNIT, "один", "одна", "одно", "одного", "одну", "одной", "одним");
    ru(2, Kind.UNIT, "два", "две", "двух", "двум", "двумя");
    ru(3, Kind.UNIT, "три", "трех", "трем", "тремя");
    ru(4, Kind.UNIT, "четыре", "четырех", "четырем");
    ru(5, Kind.UNIT, "пять", "пяти", "пятью");
    ru(6, Kind.UNIT, "шесть", "шести");
    ru(7, Kind.UNIT, "семь", "семи");
    ru(8, Kind.UNIT, "восемь", "восьми");
    ru(9, Kind.UNIT, "девять", "девяти");
    ru(10, Kind.TEEN, "десять", "десяти");
    ru(11, Kind.TEEN, "одиннадцать", "одиннадцати");
    ru(12, Kind.TEEN, "двенадцать", "двенадцати");
    ru(13, Kind.TEEN, "тринадцать", "тринадцати");
    ru(14, Kind.TEEN, "четырнадцать", "четырнадцати");
    ru(15, Kind.TEEN, "пятнадцать", "пятнадцати");
    ru(16, Kind.TEEN, "шестнадцать", "шестнадцати");
    ru(17, Kind.TEEN, "семнадцать", "семнадцати");
    ru(18, Kind.TEEN, "восемнадцать", "восемнадцати");
    ru(19, Kind.TEEN, "девятнадцать", "девятнадцати");
    ru(20, Kind.TEN, "двадцать", "двадцати");
    ru(30, Kind.TEN, "тридцать", "тридцати");
    ru(40, Kind.TEN, "сорок", "сорока");
    ru(50, Kind.TEN, "пятьдесят", "пятидесяти");
    ru(60, Kind.TEN, "шестьдесят", "шестидесяти");
    ru(70, Kind.TEN, "семьдесят", "семидесяти");
    ru(80, Kind.TEN, "восемьдесят", "восьмидесяти");
    ru(90, Kind.TEN, "девяносто", "девяноста");
    ru(100, Kind.HUNDRED, "сто", "ста");
    ru(200, Kind.HUNDRED, "двести", "двухсот");
    ru(300, Kind.HUNDRED, "триста", "трехсот");
    ru(400, Kind.HUNDRED, "четыреста", "четырехсот");
    ru(500, Kind.HUNDRED, "пятьсот", "пятисот");
    ru(600, Kind.HUNDRED, "шестьсот", "шестисот");
    ru(700, Kind.HUNDRED, "семьсот", "семисот");
    ru(800, Kind.HUNDRED, "восемьсот", "восьмисот");
    ru(900, Kind.HUNDRED, "девятьсот", "девятисот");
    ru(1_000, Kind.MULTIPLIER, "тысяча", "тысячи", "тысяч", "тысячу", "тыс");
    ru(1_000_000, Kind.MULTIPLIER, "миллион", "миллиона", "миллионов", "млн");

    String[] units = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
    for (int i = 0; i < units.length; i++) {
      EN.put(units[i], new Word(i, Kind.UNIT));
    }
    String[] teens = {"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
        "nineteen"};
    for (int i = 0; i < teens.length; i++) {
      EN.put(teens[i], new Word(10 + i, Kind.TEEN));
    }
    String[] tens = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
    for (int i = 0; i < tens.length; i++) {
      EN.put(tens[i], new Word(20 + 10L * i, Kind.TEN));
    }
    EN.put("hundred", new Word(100, Kind.HUNDRED_MULTIPLIER));
    EN.put("thousand", new Word(1_000, Kind.MULTIPLIER));
    EN.put("grand", new Word(1_000, Kind.MULTIPLIER));
    EN.put("million", new Word(1_000_000, Kind.MULTIPLIER));
  }

  private NumberWords() {
  }

  private static void ru(long value, Kind kind, String... forms) {
    for (String f : forms) {
      RU.put(f, new Word(value, kind));
    }
  }

  /** The normalised text with every run of number words (and "5 тысяч", "50k", "1,5 млн") replaced by digits. */
  public static String toDigits(String normalized, Language language) {
    Map<String, Word> words = language == Language.RU ? RU : EN;
    String[] tokens = normalized.replaceAll("(\\d),(\\d)", "$1.$2").split(" ");
    List<String> out = new ArrayList<>();
    Run run = null;
    for (int i = 0; i < tokens.length; i++) {
      String t = tokens[i];
      if (language == Language.EN && t.contains("-") && t.chars().allMatch(c -> Character.isLetter(c) || c == '-')) {
        String[] parts = t.split("-");
        if (parts.length == 2 && words.containsKey(parts[0]) && words.containsKey(parts[1])) {
          Word tens = words.get(parts[0]);
          Word unit = words.get(parts[1]);
          if (tens.kind == Kind.TEN && unit.kind == Kind.UNIT) {
            t = String.valueOf(tens.value + unit.value);
          }
        }
      }
      Word w = words.get(t);
      if (w == null && t.matches("\\d+(\\.\\d+)?k")) {
        t = String.valueOf(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
      }
      if (w == null && t.matches("\\d+(\\.\\d+)?")) {
        w = new Word(-1, Kind.UNIT);   // digits: may take a multiplier ("5 тысяч")
      }
      boolean and = language == Language.EN && t.equals("and") && run != null && run.canContinue()
          && i + 1 < tokens.length && words.containsKey(tokens[i + 1]);
      if (and) {
        continue;
      }
      if (w != null && w.value < 0) {
        if (run != null && run.accepts(Kind.UNIT)) {
          run.flush(out);
          run = null;
        }
        if (run != null) {
          run.flush(out);
        }
        run = new Run();
        run.decimal = Double.parseDouble(t);
        run.lastKind = Kind.TEEN;   // digits behave like a complete number: only a multiplier may follow
        run.started = true;
        continue;
      }
      if (w == null) {
        if (run != null) {
          run.flush(out);
          run = null;
        }
        out.add(t);
        continue;
      }
      if (run == null || !run.accepts(w.kind)) {
        if (run != null) {
          run.flush(out);
        }
        run = new Run();
      }
      run.add(w);
    }
    if (run != null) {
      run.flush(out);
    }
    return String.join(" ", out);
  }

  private static final class Run {
    double decimal = Double.NaN;
    long total;
    long current;
    Kind lastKind;
    boolean started;

    boolean canContinue() {
      return started;
    }

    boolean accepts(Kind kind) {
      if (!started) {
        return true;
      }
      return switch (lastKind) {
        case HUNDRED -> kind == Kind.TEN || kind == Kind.TEEN || kind == Kind.UNIT || kind == Kind.MULTIPLIER;
        case TEN -> kind == Kind.UNIT || kind == Kind.MULTIPLIER || kind == Kind.HUNDRED_MULTIPLIER;
        case UNIT, TEEN -> kind == Kind.MULTIPLIER || kind == Kind.HUNDRED_MULTIPLIER;
        case MULTIPLIER -> kind != Kind.MULTIPLIER && kind != Kind.HUNDRED_MULTIPLIER;
        case HUNDRED_MULTIPLIER -> kind == Kind.TEN || kind == Kind.TEEN || kind == Kind.UNIT
            || kind == Kind.MULTIPLIER;
      };
    }

    void add(Word w) {
      if (!Double.isNaN(decimal) && (w.kind == Kind.MULTIPLIER || w.kind == Kind.HUNDRED_MULTIPLIER)) {
        total += Math.round(decimal * w.value);
        decimal = Double.NaN;
      } else if (w.kind == Kind.MULTIPLIER) {
        total += Math.max(current, 1) * w.value;
        current = 0;
      } else if (w.kind == Kind.HUNDRED_MULTIPLIER) {
        current = Math.max(current, 1) * w.value;
      } else {
        current += w.value;
      }
      lastKind = w.kind;
      started = true;
    }

    void flush(List<String> out) {
      if (!Double.isNaN(decimal)) {
        out.add(decimal == Math.rint(decimal) ? String.valueOf((long) decimal) : String.valueOf(decimal));
        decimal = Double.NaN;
        if (total == 0 && current == 0) {
          return;
        }
      }
      out.add(String.valueOf(total + current));
    }
  }
}
