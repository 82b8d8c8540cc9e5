package io.salesvoice.dialog.nlu;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.temporal.TemporalAdjusters;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dates and times as customers say them: "завтра в три", "в следующий вторник утром", "пятнадцатого мая в 10:30",
 * "next Tuesday morning", "the day after tomorrow at 4 pm". Bare hours are read as business hours: "в три" is 15:00,
 * "at nine" is 09:00.
 */
public final class DateTimeParser {

  /** A date, a time, or both, as far as the utterance said them. */
  public record Spoken(LocalDate date, LocalTime time) {
    public boolean complete() {
      return date != null && time != null;
    }

    public boolean isEmpty() {
      return date == null && time == null;
    }

    /** Fills what is missing from {@code earlier} (e.g. the date said in the previous utterance). */
    public Spoken orElse(Spoken earlier) {
      if (earlier == null) {
        return this;
      }
      return new Spoken(date != null ? date : earlier.date, time != null ? time : earlier.time);
    }

    /**
     * The moment meant: a time without a date is today if still ahead, else tomorrow; a date without a time is empty.
     */
    public Optional<LocalDateTime> resolve(LocalDateTime now) {
      if (time == null) {
        return Optional.empty();
      }
      if (date != null) {
        return Optional.of(date.atTime(time));
      }
      LocalDateTime today = now.toLocalDate().atTime(time);
      return Optional.of(today.isAfter(now) ? today : today.plusDays(1));
    }
  }

  private static final int FLAGS = Pattern.UNICODE_CASE | Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CHARACTER_CLASS;

  private static final Map<String, DayOfWeek> RU_DAYS = new HashMap<>();
  private static final Map<String, Integer> RU_MONTHS = new HashMap<>();
  private static final Map<String, Integer> RU_ORDINALS = new HashMap<>();
  private static final Map<String, DayOfWeek> EN_DAYS = new HashMap<>();
  private static final Map<String, Integer> EN_MONTHS = new HashMap<>();
  private static final Map<String, Integer> EN_ORDINALS = new HashMap<>();

  static {
    put(RU_DAYS, DayOfWeek.MONDAY, "понедельник");
    put(RU_DAYS, DayOfWeek.TUESDAY, "вторник");
    put(RU_DAYS, DayOfWeek.WEDNESDAY, "среду", "среда");
    put(RU_DAYS, DayOfWeek.THURSDAY, "четверг");
    put(RU_DAYS, DayOfWeek.FRIDAY, "пятницу", "пятница");
    put(RU_DAYS, DayOfWeek.SATURDAY, "субботу", "суббота");
    put(RU_DAYS, DayOfWeek.SUNDAY, "воскресенье");
    String[] months = {"январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр", "ноябр",
        "декабр"};
    for (int i = 0; i < months.length; i++) {
      for (String ending : new String[] {"я", "е", "ь", "а", ""}) {
        RU_MONTHS.putIfAbsent(months[i] + ending, i + 1);
      }
    }
    RU_MONTHS.remove("ма");
    RU_MONTHS.put("мая", 5);
    RU_MONTHS.put("мае", 5);
    RU_MONTHS.put("май", 5);
    String[] ordinals = {"перв", "втор", "трет", "четверт", "пят", "шест", "седьм", "восьм", "девят", "десят",
        "одиннадцат", "двенадцат", "тринадцат", "четырнадцат", "пятнадцат", "шестнадцат", "семнадцат", "восемнадцат",
        "девятнадцат", "двадцат"};
    for (int i = 0; i < ordinals.length; i++) {
      for (String ending : new String[] {"ого", "ое", "ье", "ьего", "его"}) {
        RU_ORDINALS.put(ordinals[i] + ending, i + 1);
        if (i < 9) {
          RU_ORDINALS.put("двадцать " + ordinals[i] + ending, 21 + i);
        }
        if (i == 0) {
          RU_ORDINALS.put("тридцать " + ordinals[i] + ending, 31);
        }
      }
    }
    RU_ORDINALS.put("тридцатого", 30);
    RU_ORDINALS.put("тридцатое", 30);

    String[] en = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
    for (int i = 0; i < en.length; i++) {
      EN_DAYS.put(en[i], DayOfWeek.of(i + 1));
    }
    String[] enMonths = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december"};
    for (int i = 0; i < enMonths.length; i++) {
      EN_MONTHS.put(enMonths[i], i + 1);
      EN_MONTHS.put(enMonths[i].substring(0, 3), i + 1);
    }
    String[] enOrd = {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
        "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth",
        "nineteenth", "twentieth"};
    for (int i = 0; i < enOrd.length; i++) {
      EN_ORDINALS.put(enOrd[i], i + 1);
      if (i < 9) {
        EN_ORDINALS.put("twenty " + enOrd[i], 21 + i);
        EN_ORDINALS.put("twenty-" + enOrd[i], 21 + i);
      }
    }
    EN_ORDINALS.put("thirtieth", 30);
    EN_ORDINALS.put("thirty first", 31);
    EN_ORDINALS.put("thirty-first", 31);
  }

  private static <K> void put(Map<String, K> map, K value, String... keys) {
    for (String k : keys) {
      map.put(k, value);
    }
  }

  // Russian
  private static final Pattern RU_RELATIVE = Pattern.compile("\\b(послезавтра|завтра|сегодня)\\b", FLAGS);
  private static final Pattern RU_IN_DAYS = Pattern.compile("\\bчерез\\s+(\\d+\\s+)?(день|дня|дней|неделю|недели|недель)\\b", FLAGS);
  private static final Pattern RU_WEEKDAY = Pattern.compile(
      "\\b(?:(в|во|на)\\s+)?(следующ\\S*\\s+|эт\\S*\\s+)?(понедельник|вторник|среду|среда|четверг|пятницу|пятница|субботу|суббота|воскресенье)\\b", FLAGS);
  private static final Pattern RU_NEXT_WEEK = Pattern.compile("\\bна\\s+следующей\\s+неделе\\b", FLAGS);
  private static final Pattern RU_DAY_MONTH = Pattern.compile("\\b(\\d{1,2})(?:-?го|-?е)?\\s+([а-я]+)\\b", FLAGS);
  private static final Pattern RU_DAY_OF_MONTH = Pattern.compile("\\b(\\d{1,2})(?:-?го)?\\s+числа\\b", FLAGS);
  private static final Pattern RU_CLOCK = Pattern.compile(
      "\\b(?:в|во|к|около|часа\\s+в)?\\s*(\\d{1,2})(?:[:.](\\d{2})|\\s+(\\d{2})(?=\\s|$))?(?:\\s+(час|часа|часов))?(?:\\s+(утра|дня|вечера|ночи))?\\b", FLAGS);
  private static final Pattern RU_HALF = Pattern.compile("\\bпол\\s*(\\S+)\\b", FLAGS);
  private static final Pattern RU_PART = Pattern.compile(
      "\\b(утром|с\\s+утра|днем|после\\s+обеда|в\\s+обед|вечером|в\\s+полдень|ближе\\s+к\\s+вечеру|в\\s+первой\\s+половине\\s+дня|во\\s+второй\\s+половине\\s+дня)\\b", FLAGS);

  // English
  private static final Pattern EN_RELATIVE = Pattern.compile("\\b(the\\s+day\\s+after\\s+tomorrow|tomorrow|today|tonight)\\b", FLAGS);
  private static final Pattern EN_IN_DAYS = Pattern.compile("\\bin\\s+(\\d+|a)\\s+(days?|weeks?)\\b", FLAGS);
  private static final Pattern EN_WEEKDAY = Pattern.compile(
      "\\b(next\\s+|this\\s+|on\\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\\b", FLAGS);
  private static final Pattern EN_NEXT_WEEK = Pattern.compile("\\bnext\\s+week\\b", FLAGS);
  private static final Pattern EN_MONTH_DAY = Pattern.compile("\\b([a-z]+)\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b", FLAGS);
  private static final Pattern EN_DAY_MONTH = Pattern.compile("\\b(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?([a-z]+)\\b", FLAGS);
  private static final Pattern EN_THE_DAY = Pattern.compile("\\bthe\\s+(\\d{1,2})(?:st|nd|rd|th)\\b", FLAGS);
  private static final Pattern EN_CLOCK = Pattern.compile(
      "\\b(at|around|by|after|for)?\\s*(\\d{1,2})(?:[:.](\\d{2})|\\s+(\\d{2})(?=\\s|$))?\\s*(a\\s*m|p\\s*m|am|pm|o'?clock)?\\b", FLAGS);
  private static final Pattern EN_HALF = Pattern.compile("\\bhalf\\s+past\\s+(\\d{1,2})\\b", FLAGS);
  private static final Pattern EN_PART = Pattern.compile(
      "\\b(morning|afternoon|evening|tonight|noon|midday|lunchtime|lunch\\s+time|end\\s+of\\s+the\\s+day)\\b", FLAGS);

  /** What the utterance says about a date and a time, relative to {@code today}; empty parts are null. */
  public Spoken parse(String utterance, Language language, LocalDate today) {
    String n = Text.normalize(utterance);
    if (language == Language.RU) {
      return parseRu(NumberWords.toDigits(replaceOrdinals(n, RU_ORDINALS, "-го"), language), today);
    }
    n = n.replace("a.m", "am").replace("p.m", "pm");
    return parseEn(NumberWords.toDigits(replaceOrdinals(n, EN_ORDINALS, "th"), language), today);
  }

  private Spoken parseRu(String n, LocalDate today) {
    LocalDate date = null;
    String rest = n;
    Matcher m = RU_RELATIVE.matcher(n);
    if (m.find()) {
      date = switch (m.group(1)) {
        case "послезавтра" -> today.plusDays(2);
        case "завтра" -> today.plusDays(1);
        default -> today;
      };
      rest = cut(rest, m.group());
    }
    if (date == null && (m = RU_IN_DAYS.matcher(n)).find()) {
      int k = m.group(1) == null ? 1 : Integer.parseInt(m.group(1).trim());
      date = m.group(2).startsWith("нед") ? today.plusWeeks(k) : today.plusDays(k);
      rest = cut(rest, m.group());
    }
    if (date == null && (m = RU_WEEKDAY.matcher(n)).find()) {
      date = nextWeekday(today, RU_DAYS.get(m.group(3)), m.group(2) != null && m.group(2).startsWith("следующ"));
      rest = cut(rest, m.group());
    }
    if (date == null && (m = RU_DAY_OF_MONTH.matcher(n)).find()) {
      date = dayOfMonth(today, Integer.parseInt(m.group(1)), 0);
      rest = cut(rest, m.group());
    }
    if (date == null) {
      m = RU_DAY_MONTH.matcher(n);
      while (m.find()) {
        Integer month = RU_MONTHS.get(m.group(2));
        if (month != null) {
          date = dayOfMonth(today, Integer.parseInt(m.group(1)), month);
          rest = cut(rest, m.group());
          break;
        }
      }
    }
    if (date == null && RU_NEXT_WEEK.matcher(n).find()) {
      date = today.with(TemporalAdjusters.next(DayOfWeek.MONDAY));
      rest = cut(rest, "на следующей неделе");
    }
    LocalTime time = ruTime(rest);
    return new Spoken(date, time);
  }

  private LocalTime ruTime(String n) {
    Matcher half = RU_HALF.matcher(n);
    if (half.find()) {
      String h = half.group(1);
      Integer next = h.matches("\\d+-го") ? Integer.valueOf(h.substring(0, h.length() - 3)) : RU_ORDINALS.get(h);
      if (next != null) {
        return businessHour(next - 1, null).plusMinutes(30);
      }
    }
    Matcher m = RU_CLOCK.matcher(n);
    while (m.find()) {
      if (m.group(1) == null) {
        continue;
      }
      String whole = m.group().trim();
      boolean anchored = whole.matches("^(в|во|к|около|часа\\s+в)\\s.*") || m.group(2) != null
          || m.group(4) != null || m.group(5) != null;
      if (!anchored) {
        continue;
      }
      int hour = Integer.parseInt(m.group(1));
      String minutesText = m.group(2) != null ? m.group(2) : m.group(3);
      int minutes = minutesText == null ? 0 : Integer.parseInt(minutesText);
      if (hour > 23 || minutes > 59) {
        continue;
      }
      String part = m.group(5);
      if (part != null) {
        return LocalTime.of(switch (part) {
          case "дня", "вечера" -> hour < 12 ? hour + 12 : hour;
          case "ночи" -> hour == 12 ? 0 : hour;
          default -> hour == 12 ? 0 : hour;
        }, minutes);
      }
      if (m.group(2) != null) {
        return LocalTime.of(hour, minutes);
      }
      return businessHour(hour, minutes);
    }
    Matcher p = RU_PART.matcher(n);
    if (p.find()) {
      String part = p.group(1);
      if (part.contains("утр") || part.contains("первой")) {
        return LocalTime.of(10, 0);
      }
      if (part.contains("полдень")) {
        return LocalTime.of(12, 0);
      }
      if (part.equals("в обед")) {
        return LocalTime.of(13, 0);
      }
      if (part.contains("вечер")) {
        return LocalTime.of(18, 0);
      }
      return LocalTime.of(14, 0);
    }
    return null;
  }

  private Spoken parseEn(String n, LocalDate today) {
    LocalDate date = null;
    String rest = n;
    Matcher m = EN_RELATIVE.matcher(n);
    if (m.find()) {
      String w = m.group(1);
      date = w.startsWith("the day") ? today.plusDays(2) : w.equals("tomorrow") ? today.plusDays(1) : today;
      rest = cut(rest, m.group());
      if (w.equals("tonight")) {
        rest = rest + " tonight";
      }
    }
    if (date == null && (m = EN_IN_DAYS.matcher(n)).find()) {
      int k = m.group(1).equals("a") ? 1 : Integer.parseInt(m.group(1));
      date = m.group(2).startsWith("week") ? today.plusWeeks(k) : today.plusDays(k);
      rest = cut(rest, m.group());
    }
    if (date == null && (m = EN_WEEKDAY.matcher(n)).find()) {
      date = nextWeekday(today, EN_DAYS.get(m.group(2)), m.group(1) != null && m.group(1).startsWith("next"));
      rest = cut(rest, m.group());
    }
    if (date == null) {
      m = EN_MONTH_DAY.matcher(n);
      while (m.find()) {
        Integer month = EN_MONTHS.get(m.group(1));
        if (month != null) {
          date = dayOfMonth(today, Integer.parseInt(m.group(2)), month);
          rest = cut(rest, m.group());
          break;
        }
      }
    }
    if (date == null) {
      m = EN_DAY_MONTH.matcher(n);
      while (m.find()) {
        Integer month = EN_MONTHS.get(m.group(2));
        if (month != null) {
          date = dayOfMonth(today, Integer.parseInt(m.group(1)), month);
          rest = cut(rest, m.group());
          break;
        }
      }
    }
    if (date == null && (m = EN_THE_DAY.matcher(n)).find()) {
      date = dayOfMonth(today, Integer.parseInt(m.group(1)), 0);
      rest = cut(rest, m.group());
    }
    if (date == null && EN_NEXT_WEEK.matcher(n).find()) {
      date = today.with(TemporalAdjusters.next(DayOfWeek.MONDAY));
      rest = cut(rest, "next week");
    }
    return new Spoken(date, enTime(rest));
  }

  private LocalTime enTime(String n) {
    Matcher half = EN_HALF.matcher(n);
    if (half.find()) {
      return businessHour(Integer.parseInt(half.group(1)), 30);
    }
    Matcher m = EN_CLOCK.matcher(n);
    while (m.find()) {
      if (m.group(2) == null) {
        continue;
      }
      boolean anchored = m.group(1) != null || m.group(3) != null || m.group(5) != null;
      if (!anchored) {
        continue;
      }
      int hour = Integer.parseInt(m.group(2));
      String minutesText = m.group(3) != null ? m.group(3) : m.group(4);
      int minutes = minutesText == null ? 0 : Integer.parseInt(minutesText);
      if (hour > 23 || minutes > 59) {
        continue;
      }
      String suffix = m.group(5) == null ? "" : m.group(5).replace(" ", "");
      if (suffix.equals("pm")) {
        return LocalTime.of(hour < 12 ? hour + 12 : hour, minutes);
      }
      if (suffix.equals("am")) {
        return LocalTime.of(hour == 12 ? 0 : hour, minutes);
      }
      if (n.contains("evening") || n.contains("tonight") || n.contains("afternoon")) {
        return LocalTime.of(hour < 12 ? hour + 12 : hour, minutes);
      }
      if (n.contains("morning")) {
        return LocalTime.of(hour, minutes);
      }
      if (m.group(3) != null && hour > 12) {
        return LocalTime.of(hour, minutes);
      }
      return businessHour(hour, minutes);
    }
    Matcher p = EN_PART.matcher(n);
    if (p.find()) {
      return switch (p.group(1)) {
        case "morning" -> LocalTime.of(10, 0);
        case "noon", "midday" -> LocalTime.of(12, 0);
        case "lunchtime", "lunch time" -> LocalTime.of(13, 0);
        case "afternoon" -> LocalTime.of(14, 0);
        case "end of the day" -> LocalTime.of(17, 0);
        default -> LocalTime.of(18, 0);
      };
    }
    return null;
  }

  /** Office hours: 1–7 mean the afternoon, 8–12 the morning and noon. */
  private static LocalTime businessHour(int hour, Integer minutes) {
    int h = hour >= 1 && hour <= 7 ? hour + 12 : hour;
    return LocalTime.of(h % 24, minutes == null ? 0 : minutes);
  }

  private static LocalDate nextWeekday(LocalDate today, DayOfWeek day, boolean nextWeek) {
    LocalDate d = today.with(TemporalAdjusters.next(day));
    if (nextWeek && d.isBefore(today.with(TemporalAdjusters.next(DayOfWeek.MONDAY)))) {
      d = d.plusWeeks(1);
    }
    return d;
  }

  /** The next such day from today on; month 0 means this month or, if already past, the next. */
  private static LocalDate dayOfMonth(LocalDate today, int day, int month) {
    if (day < 1 || day > 31) {
      return null;
    }
    if (month == 0) {
      LocalDate candidate = today.withDayOfMonth(Math.min(day, today.lengthOfMonth()));
      if (candidate.isBefore(today)) {
        LocalDate next = today.plusMonths(1);
        candidate = next.withDayOfMonth(Math.min(day, next.lengthOfMonth()));
      }
      return candidate;
    }
    MonthDay md = MonthDay.of(month, Math.min(day, java.time.Month.of(month).maxLength()));
    LocalDate candidate = md.atYear(today.getYear());
    return candidate.isBefore(today) ? md.atYear(today.getYear() + 1) : candidate;
  }

  private static String replaceOrdinals(String n, Map<String, Integer> ordinals, String suffix) {
    String s = " " + n + " ";
    // Longest first: "двадцать первого" before "первого".
    for (Map.Entry<String, Integer> e : ordinals.entrySet().stream()
        .sorted((a, b) -> b.getKey().length() - a.getKey().length()).toList()) {
      s = s.replace(" " + e.getKey() + " ", " " + e.getValue() + suffix + " ");
    }
    return s.trim();
  }

  private static String cut(String text, String part) {
    return text.replace(part, " ");
  }
}
