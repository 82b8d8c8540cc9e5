package io.salesvoice.dialog.nlu;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pulls the lead's data out of what they said: name, company, email (also spelled out: "ivan at example dot com",
 * "иван собака мейл точка ру"), phone, budget and team size. Dates and times are {@link DateTimeParser}'s job.
 */
public final class SlotExtractor {

  public static final String NAME = "name";
  public static final String COMPANY = "company";
  public static final String EMAIL = "email";
  public static final String PHONE = "phone";
  public static final String BUDGET = "budget";
  public static final String TEAM_SIZE = "team_size";

  private static final int FLAGS = Pattern.UNICODE_CASE | Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CHARACTER_CLASS;

  private static final Pattern EMAIL_PATTERN = Pattern.compile("[a-z0-9][a-z0-9._%+\\-]*@[a-z0-9\\-]+(\\.[a-z0-9\\-]+)*\\.[a-z]{2,}");
  private static final Pattern PHONE_PATTERN = Pattern.compile("(\\+?\\d[\\d\\s\\-()]{8,16}\\d)");

  private static final Pattern RU_NAME = Pattern.compile(
      "\\b(?:меня\\s+зовут|зовут\\s+меня|мое\\s+имя|это\\s+говорит|можно\\s+просто|это)\\s+(\\p{L}+)(?:\\s+(\\p{L}+))?", FLAGS);
  private static final Pattern EN_NAME = Pattern.compile(
      "\\b(?:my\\s+name\\s+is|my\\s+name'?s|call\\s+me|this\\s+is|i'?m|i\\s+am|it'?s)\\s+(\\p{L}+)(?:\\s+(\\p{L}+))?", FLAGS);
  private static final Set<String> NOT_NAMES = Set.of("busy", "not", "fine", "good", "ok", "okay", "sure", "sorry",
      "interested", "in", "at", "a", "the", "driving", "calling", "from", "with", "working", "listening", "here", "afraid",
      "really", "just", "still", "very", "so", "too", "also", "looking", "happy", "glad", "going", "well", "great",
      "alright", "all", "actually", "that", "this", "it", "no", "yes", "director", "manager", "owner", "head");
  private static final Set<String> RU_STOP_AFTER_NAME = Set.of("я", "и", "а", "из", "мы", "у", "в", "работаю",
      "компания", "фамилия");

  private static final Pattern RU_COMPANY = Pattern.compile(
      "(?:компани[яиюей]|фирм[аыуе]|организаци[яиюей]|называется|наша\\s+компания|работаю\\s+в|я\\s+из|мы\\s+из|представляю)"
          + "\\s+[«\"]?([\\p{L}\\d][\\p{L}\\d\\-&]*(?:\\s+[\\p{L}\\d][\\p{L}\\d\\-&]*){0,2})", FLAGS);
  private static final Pattern EN_COMPANY = Pattern.compile(
      "(?:company\\s+(?:is\\s+)?(?:called\\s+)?|(?:i|we)\\s+(?:work|am|are|'re|'m)\\s+(?:at|for|with|from)\\s+|(?:i'?m|we'?re|i\\s+am|we\\s+are)\\s+(?:at|from|with)\\s+"
          + "|it'?s\\s+called\\s+|called\\s+|represent\\s+|from\\s+)[\"]?([\\p{L}\\d][\\p{L}\\d\\-&]*(?:\\s+[\\p{L}\\d][\\p{L}\\d\\-&]*){0,2})", FLAGS);
  private static final Set<String> COMPANY_STOP = Set.of("и", "у", "нас", "мы", "в", "где", "там", "человек", "and", "we",
      "have", "has", "with", "where", "people", "the", "our", "a", "работает", "работают", "сотрудников", "employees",
      "inc", "so", "but", "а", "но", "это", "there");

  private static final Pattern RU_BUDGET = Pattern.compile(
      "(?:бюджет|готовы\\s+(?:потратить|вложить|заплатить)|потратить|вложить)\\D{0,20}?(\\d+(?:\\.\\d+)?)"
          + "|(\\d+(?:\\.\\d+)?)\\s*(?:руб|р\\b|₽|долл|\\$|евро)", FLAGS);
  private static final Pattern EN_BUDGET = Pattern.compile(
      "(?:budget|spend|invest|pay)\\D{0,20}?(\\d+(?:\\.\\d+)?)|\\$\\s?(\\d+(?:\\.\\d+)?)"
          + "|(\\d+(?:\\.\\d+)?)\\s*(?:dollars|usd|bucks|euros|rubles)", FLAGS);
  private static final Pattern RU_TEAM = Pattern.compile(
      "(\\d+)\\s+(?:человек|менеджер\\S*|продавц\\S*|сотрудник\\S*|сейлз\\S*|специалист\\S*)", FLAGS);
  private static final Pattern EN_TEAM = Pattern.compile(
      "(\\d+)\\s+(?:people|persons|reps|sales\\s*(?:people|reps|managers)|managers|employees|agents|salespeople|staff|sellers)", FLAGS);

  /** The slots found, by name; {@code wanted} limits the extraction (e.g. a bare answer as the company). */
  public Map<String, String> extract(String utterance, Language language, Set<String> wanted) {
    Map<String, String> slots = new LinkedHashMap<>();
    String raw = utterance == null ? "" : utterance.trim();
    String n = Text.normalize(raw);
    String digits = NumberWords.toDigits(n, language);
    email(n, language).ifPresent(e -> slots.put(EMAIL, e));
    Matcher phone = PHONE_PATTERN.matcher(raw);
    while (phone.find()) {
      String d = phone.group(1).replaceAll("\\D", "");
      if (d.length() >= 10 && d.length() <= 12) {
        if (d.length() == 11 && d.startsWith("8")) {
          d = "7" + d.substring(1);
        } else if (d.length() == 10) {
          d = (language == Language.RU ? "7" : "1") + d;
        }
        slots.put(PHONE, "+" + d);
        break;
      }
    }
    name(raw, language).ifPresent(v -> slots.put(NAME, v));
    company(raw, n, language, wanted).ifPresent(v -> slots.put(COMPANY, v));
    Matcher b = (language == Language.RU ? RU_BUDGET : EN_BUDGET).matcher(digits);
    if (b.find()) {
      String v = b.group(1) != null ? b.group(1) : b.group(2) != null ? b.group(2) : b.group(3);
      slots.put(BUDGET, v.endsWith(".0") ? v.substring(0, v.length() - 2) : v);
    } else if (wanted.contains(BUDGET)) {
      Matcher any = Pattern.compile("\\b(\\d{3,})\\b").matcher(digits);
      if (any.find()) {
        slots.put(BUDGET, any.group(1));
      }
    }
    Matcher t = (language == Language.RU ? RU_TEAM : EN_TEAM).matcher(digits);
    if (t.find()) {
      slots.put(TEAM_SIZE, t.group(1));
    }
    if (!wanted.isEmpty()) {
      slots.keySet().retainAll(wanted);
    }
    return slots;
  }

  private java.util.Optional<String> email(String n, Language language) {
    Matcher direct = EMAIL_PATTERN.matcher(n);
    if (direct.find()) {
      return java.util.Optional.of(direct.group());
    }
    String spoken = (" " + n + " ")
        .replaceAll("\\s+(собака|собачка|at|эт)\\s+", "@")
        .replaceAll("\\s+(точка|dot)\\s+", ".")
        .replaceAll("\\s+(нижнее подчеркивание|underscore)\\s+", "_")
        .replaceAll("\\s+(дефис|тире|dash|hyphen)\\s+", "-")
        .replace(" ру ", ".ru ").replace("@мейл", "@mail").replace("@яндекс", "@yandex").replace("@гмейл", "@gmail")
        .replace("@джимейл", "@gmail").replace(".ру", ".ru").replace(".ком", ".com");
    Matcher m = EMAIL_PATTERN.matcher(spoken);
    return m.find() ? java.util.Optional.of(m.group()) : java.util.Optional.empty();
  }

  private java.util.Optional<String> name(String raw, Language language) {
    Matcher m = (language == Language.RU ? RU_NAME : EN_NAME).matcher(raw);
    while (m.find()) {
      String first = m.group(1);
      String lower = first.toLowerCase(Locale.ROOT);
      boolean explicit = m.group().toLowerCase(Locale.ROOT).matches("^(меня зовут|зовут меня|мое имя|my name).*");
      if (NOT_NAMES.contains(lower) || (!explicit && !Character.isUpperCase(first.charAt(0)))) {
        continue;
      }
      String second = m.group(2);
      boolean secondIsName = second != null && Character.isUpperCase(second.charAt(0))
          && !RU_STOP_AFTER_NAME.contains(second.toLowerCase(Locale.ROOT))
          && !NOT_NAMES.contains(second.toLowerCase(Locale.ROOT));
      return java.util.Optional.of(capitalize(first) + (secondIsName ? " " + second : ""));
    }
    return java.util.Optional.empty();
  }

  private java.util.Optional<String> company(String raw, String n, Language language, Set<String> wanted) {
    Matcher quoted = Pattern.compile("[«\"]([^»\"]{2,40})[»\"]").matcher(raw);
    if (quoted.find()) {
      return java.util.Optional.of(quoted.group(1).trim());
    }
    Matcher m = (language == Language.RU ? RU_COMPANY : EN_COMPANY).matcher(raw);
    while (m.find()) {
      String value = trimCompany(m.group(1));
      if (!value.isEmpty() && !(language == Language.EN && m.group().toLowerCase(Locale.ROOT).startsWith("from")
          && !Character.isUpperCase(value.charAt(0)))) {
        return java.util.Optional.of(value);
      }
    }
    // A short bare answer to "what is your company called?" is the company.
    if (wanted.contains(COMPANY) && !n.isEmpty()) {
      String[] words = raw.replaceAll("[.!?,]", " ").trim().split("\\s+");
      if (words.length <= 3 && !words[0].isEmpty() && Character.isLetter(words[0].charAt(0))
          && new IntentDetector().detect(raw, language) == Intent.UNKNOWN) {
        return java.util.Optional.of(trimCompany(String.join(" ", words)));
      }
    }
    return java.util.Optional.empty();
  }

  private static String trimCompany(String value) {
    StringBuilder out = new StringBuilder();
    String stripped = value.trim().replaceFirst("(?iu)^(компани[яиюей]|фирм[аыуе]|организаци[яиюей]|company)\\s+", "");
    for (String w : stripped.split("\\s+")) {
      if (COMPANY_STOP.contains(w.toLowerCase(Locale.ROOT)) || w.matches("\\d+")) {
        break;
      }
      if (out.length() > 0) {
        out.append(' ');
      }
      out.append(w);
    }
    String s = out.toString();
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String capitalize(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1).toLowerCase(Locale.ROOT);
  }
}
