package io.salesvoice.stt.grammar;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Rule-based grapheme-to-phoneme conversion of Russian words into the ARPAbet phones of the US English acoustic model
 * (no Russian acoustic model is obtainable offline): the nearest English phone for each Russian sound, with the rules
 * of Russian pronunciation that change which sound a letter stands for — vowel reduction outside the stress, iotated
 * vowels, final devoicing, voicing assimilation in consonant clusters, silent consonants ({@code здравствуйте}), the
 * {@code -ого} genitive ({@code ничего} → [ничево]), {@code -тся} → [ца], {@code что} → [што].
 *
 * <p>Stress is not written in Russian. It is taken, in this order, from a {@code +} before the stressed vowel
 * ({@code перезвон+ите}) or a combining acute accent after it, from {@code ё}, from a lexicon of the words sales
 * answers use, and otherwise guessed on the penultimate syllable (the commonest place). Clitics ({@code не}, {@code на},
 * prepositions) carry none. Palatalization has no English counterpart and is dropped.
 */
public final class RussianPronunciation {

  /** Marks the stressed vowel that follows it, in words handed in and in the lexicon. */
  public static final char STRESS = '+';
  private static final char COMBINING_ACUTE = '\u0301';

  private static final String VOWELS = "аеёиоуыэюя";
  private static final String IOTATED = "еёюя";
  private static final Set<String> VOWEL_PHONES = Set.of("AA", "AH", "AO", "EH", "IH", "IY", "UW");

  /** Words with their stress where the penultimate-syllable guess is wrong or the word is common enough to be sure. */
  private static final Map<String, String> LEXICON = lexicon(
      "хорош+о", "мо+я", "тво+я", "сво+я", "сейч+ас", "пот+ом", "зач+ем", "здр+авствуйте", "алл+о", "ег+о", "ничег+о", "сег+одня", "мен+я",
      "теб+я", "говор+ите", "звон+ите", "перезвон+ите", "позвон+ите", "набер+ите", "повтор+ите", "соедин+ите",
      "переключ+ите", "позов+ите", "удал+ите", "скаж+ите", "подскаж+ите", "прекрат+ите", "перест+аньте",
      "беспок+ойте", "пришл+ите", "пиш+ите", "запис+ывайте", "интер+есно", "неинтер+есно", "кон+ечно", "ок+ей",
      "ск+олько", "ст+оит", "сто+ят", "цен+а", "как+ая", "как+ой", "комп+ании", "компан+ия", "д+орого", "недорог+о",
      "д+ёшево", "з+анят", "занят+а", "рул+ём", "н+ужно", "н+адо", "п+озже", "поп+озже", "з+автра", "послез+автра",
      "в+ечером", "+утром", "п+осле", "об+еда", "понед+ельник", "вт+орник", "ср+еду", "четв+ерг", "п+ятницу",
      "субб+оту", "воскрес+енье", "нед+еле", "нед+елю", "м+ожет", "нав+ерное", "возм+ожно", "подум+аю", "посм+отрим",
      "зн+аю", "уд+обно", "неуд+обно", "дав+айте", "л+адно", "сл+ушаю", "отл+ично", "согл+асен", "согл+асна",
      "спас+ибо", "пож+алуйста", "м+ожно", "челов+ек", "челов+еком", "мен+еджер", "мен+еджером", "мен+еджера",
      "р+обот", "р+оботом", "автоотв+етчик", "отк+уда", "уж+е", "+это", "+эту", "ещ+ё", "опер+атор", "опер+атором",
      "специал+истом", "поговор+ить", "х+очу", "хот+ите", "б+ольше", "н+омер", "совещ+ании", "встр+ече", "р+аботе",
      "вр+емени", "вр+емя", "н+екогда", "час+ов", "од+ин", "дв+а", "тр+и", "чет+ыре", "п+ять", "ш+есть", "с+емь",
      "в+осемь", "д+евять", "д+есять", "двен+адцать", "одинн+адцать", "дв+адцать", "тр+идцать", "пятьдес+ят",
      "утр+а", "веч+ера", "п+олдень", "полов+ине", "т+ысяча", "ст+оимость", "т+ариф", "интерес+ует", "интерес+уют",
      "р+аботаем", "п+ользуемся", "нужд+аемся", "обойд+ёмся", "акту+ально", "неакту+ально", "чт+обы", "всег+о",
      "д+оброго", "свид+ания", "рассл+ышал", "рассл+ышала", "сказ+али", "т+очно", "пр+авда", "в+ерно", "пойд+ёт",
      "подх+одит", "устр+аивает", "разум+еется", "безусл+овно", "естеств+енно", "вопр+ос", "вопр+осу", "п+оводу",
      "ф+ирма", "фирм+ы", "организ+ация", "п+очту", "эл+ектронную", "+адрес", "дав+ай", "хорош+ий", "пр+ямо");

  /**
   * A second stress that many speakers use or that spells another word: {@code перезв+оните} is common speech beside
   * the standard {@code перезвон+ите}, {@code сто+ит} ("stands") is spelled as {@code ст+оит} ("costs").
   */
  private static final Map<String, String> SECOND_STRESS = Map.of(
      "перезвоните", "перезв+оните", "позвоните", "позв+оните", "звоните", "зв+оните", "звонит", "зв+онит",
      "стоит", "сто+ит", "договор", "д+оговор", "позвонишь", "позв+онишь");

  /** Words that lean on the next or previous word and have no stress of their own. */
  private static final Set<String> CLITICS = Set.of("не", "ни", "на", "за", "по", "до", "от", "об", "из", "без", "для",
      "при", "про", "под", "над", "со", "во", "ко", "же", "ли", "бы", "и", "а", "но", "то", "у", "о");

  /** Genitive {@code -ого}/{@code -его} said with [в], except in these words where {@code г} is a root's. */
  private static final Set<String> ROOT_GO = Set.of("много", "немного", "дорого", "недорого", "строго", "убого",
      "полого", "отлого", "ого", "благо", "долго");

  private RussianPronunciation() {
  }

  /**
   * The ARPAbet phones of one Russian word, space-separated, e.g. {@code да} → {@code D AA}. Letters other than
   * Cyrillic (and the stress mark) are ignored.
   *
   * @throws IllegalArgumentException if the word has no Cyrillic letter
   */
  public static String arpabet(String word) {
    return arpabet(word, false);
  }

  private static String arpabet(String word, boolean softGlide) {
    Letters letters = Letters.of(word);
    if (letters.chars.isEmpty()) {
      throw new IllegalArgumentException("not a Russian word: '" + word + "'");
    }
    rewrite(letters);
    List<Segment> segments = segments(letters, softGlide);
    assimilateVoicing(segments);
    List<String> phones = new ArrayList<>();
    for (Segment s : segments) {
      for (String phone : s.phones) {
        // a consonant met twice after assimilation ("отдых" → [аддых]) is one long consonant
        if (!phones.isEmpty() && phones.get(phones.size() - 1).equals(phone) && !VOWEL_PHONES.contains(phone)) {
          continue;
        }
        phones.add(phone);
      }
    }
    return String.join(" ", phones);
  }

  /**
   * The word's pronunciations, most likely first: {@link #arpabet(String)}, then, if the word has a soft consonant
   * before a stressed е, ё, ю or я, the same with that softness said as an English [j] glide ({@code нет} →
   * {@code N Y EH T}, as English speakers write "nyet"); then the same for the word's second stress, if it has one
   * in common use.
   */
  public static List<String> variants(String word) {
    List<String> forms = new ArrayList<>(List.of(word));
    String second = word.indexOf(STRESS) < 0 && word.indexOf(COMBINING_ACUTE) < 0
        ? SECOND_STRESS.get(plain(word)) : null;
    if (second != null) {
      forms.add(second);
    }
    java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
    for (String form : forms) {
      all.add(arpabet(form, false));
      all.add(arpabet(form, true));
    }
    return List.copyOf(all);
  }

  /** The word in lower case without stress marks, as a transcript shows it. */
  public static String plain(String word) {
    StringBuilder b = new StringBuilder();
    for (char c : word.toLowerCase(Locale.ROOT).toCharArray()) {
      if (c != STRESS && c != COMBINING_ACUTE) {
        b.append(c);
      }
    }
    return b.toString();
  }

  // --- letters and stress ------------------------------------------------------------------------------------------

  /** A word's letters and which vowel (by position among the letters) carries the stress; -1 for none. */
  private static final class Letters {
    final List<Character> chars = new ArrayList<>();
    int stressed = -1;

    static Letters of(String word) {
      Letters l = new Letters();
      String lower = word.toLowerCase(Locale.ROOT);
      boolean markNext = false;
      for (int i = 0; i < lower.length(); i++) {
        char c = lower.charAt(i);
        if (c == STRESS) {
          markNext = true;
        } else if (c == COMBINING_ACUTE) {
          if (!l.chars.isEmpty() && isVowel(l.chars.get(l.chars.size() - 1))) {
            l.stressed = l.chars.size() - 1;
          }
        } else if (c >= 'а' && c <= 'я' || c == 'ё') {
          if (markNext && isVowel(c)) {
            l.stressed = l.chars.size();
            markNext = false;
          }
          l.chars.add(c);
        }
      }
      if (l.stressed < 0) {
        l.stressed = l.guessStress();
      }
      return l;
    }

    String text() {
      StringBuilder b = new StringBuilder();
      chars.forEach(b::append);
      return b.toString();
    }

    int guessStress() {
      String w = text();
      int yo = w.indexOf('ё');
      if (yo >= 0) {
        return yo;
      }
      String known = LEXICON.get(w);
      if (known != null) {
        int mark = known.indexOf(STRESS);
        return mark < 0 ? -1 : mark;   // the lexicon's words are spelled as the word, the mark before the vowel
      }
      if (CLITICS.contains(w)) {
        return -1;
      }
      List<Integer> vowels = new ArrayList<>();
      for (int i = 0; i < chars.size(); i++) {
        if (isVowel(chars.get(i))) {
          vowels.add(i);
        }
      }
      if (vowels.isEmpty()) {
        return -1;
      }
      return vowels.size() == 1 ? vowels.get(0) : vowels.get(vowels.size() - 2);
    }

    /**
     * Replaces {@code length} letters at {@code at} by {@code with}. A stress inside moves to the replacement's vowel
     * (e.g. "тся" → "ца"); one after it shifts with the letters.
     */
    void replace(int at, int length, String with) {
      for (int i = 0; i < length; i++) {
        chars.remove(at);
      }
      for (int i = 0; i < with.length(); i++) {
        chars.add(at + i, with.charAt(i));
      }
      if (stressed >= at + length) {
        stressed += with.length() - length;
      } else if (stressed >= at) {
        int v = 0;
        while (v < with.length() && !isVowel(with.charAt(v))) {
          v++;
        }
        stressed = v < with.length() ? at + v : -1;
      }
    }
  }

  private static Map<String, String> lexicon(String... words) {
    Map<String, String> m = new java.util.HashMap<>();
    for (String w : words) {
      if (m.put(plain(w), w) != null) {
        throw new IllegalStateException("twice in the stress lexicon: " + w);
      }
    }
    return Map.copyOf(m);
  }

  /** The stress lexicon, for its test: every entry marks exactly one vowel. */
  static Map<String, String> lexicon() {
    return LEXICON;
  }

  // --- spelling rules ----------------------------------------------------------------------------------------------

  private static void rewrite(Letters l) {
    String w = l.text();
    if (w.equals("что") || w.startsWith("чтоб")) {
      l.replace(0, 1, "ш");
    }
    if (w.startsWith("конечн") || w.equals("скучно") || w.equals("нарочно")) {
      replaceAll(l, "чн", "шн");
    }
    if (w.length() > 3 && (w.endsWith("ого") || w.endsWith("его")) && !ROOT_GO.contains(w)) {
      l.replace(w.length() - 2, 1, "в");
    }
    if (w.startsWith("сегодня")) {
      l.replace(2, 1, "в");
    }
    if (w.equals("пожалуйста")) {
      replaceAll(l, "уйст", "ст");   // said [пожалста]
    }
    w = l.text();
    if (w.endsWith("ться")) {
      l.replace(w.length() - 4, 4, "ца");
    } else if (w.endsWith("тся")) {
      l.replace(w.length() - 3, 3, "ца");
    }
    // silent consonants in clusters
    replaceAll(l, "вств", "ств");
    replaceAll(l, "здн", "зн");
    replaceAll(l, "стн", "сн");
    replaceAll(l, "стл", "сл");
    replaceAll(l, "лнц", "нц");
    replaceAll(l, "рдц", "рц");
    replaceAll(l, "ндск", "нск");
    // one long sound
    replaceAll(l, "сч", "щ");
    replaceAll(l, "зч", "щ");
    replaceAll(l, "жч", "щ");
    replaceAll(l, "зж", "ж");
    replaceAll(l, "сш", "ш");
    replaceAll(l, "зш", "ш");
    replaceAll(l, "тц", "ц");
    replaceAll(l, "дц", "ц");
    replaceAll(l, "гк", "хк");
    replaceAll(l, "гч", "хч");
    // double consonants are one (long) consonant; English has no length
    for (int i = l.chars.size() - 1; i > 0; i--) {
      char c = l.chars.get(i);
      if (c == l.chars.get(i - 1) && !isVowel(c) && c != 'ь' && c != 'ъ') {
        l.replace(i, 1, "");
      }
    }
  }

  private static void replaceAll(Letters l, String from, String to) {
    int at = l.text().indexOf(from);
    while (at >= 0) {
      l.replace(at, from.length(), to);
      at = l.text().indexOf(from, at + to.length());
    }
  }

  // --- letters to phones -------------------------------------------------------------------------------------------

  private enum Voicing { VOICED, VOICELESS, NONE }

  /** What one letter is said as; obstruents carry their voicing and the phone of the opposite voicing. */
  private static final class Segment {
    final List<String> phones = new ArrayList<>();
    Voicing voicing = Voicing.NONE;
    /** Whether it makes a voiceless obstruent before it voiced ({@code в} does not). */
    boolean voicesPrevious;
    String voicedForm;
    String voicelessForm;

    static Segment of(String... phones) {
      Segment s = new Segment();
      s.phones.addAll(List.of(phones));
      return s;
    }

    static Segment obstruent(String phone, Voicing v, String pair) {
      Segment s = of(phone);
      s.voicing = v;
      if (v == Voicing.VOICED) {
        s.voicedForm = phone;
        s.voicelessForm = pair;
        s.voicesPrevious = !phone.equals("V");
      } else {
        s.voicelessForm = phone;
        s.voicedForm = pair;
      }
      return s;
    }
  }

  private static List<Segment> segments(Letters l, boolean softGlide) {
    List<Segment> out = new ArrayList<>();
    List<Character> w = l.chars;
    for (int i = 0; i < w.size(); i++) {
      char c = w.get(i);
      char prev = i > 0 ? w.get(i - 1) : 0;
      if (isVowel(c)) {
        boolean stressed = i == l.stressed;
        boolean iotated = IOTATED.indexOf(c) >= 0 && (i == 0 || isVowel(prev) || prev == 'ь' || prev == 'ъ');
        boolean last = i == w.size() - 1;
        // и after ь is [йи]; after ж, ш, ц it is [ы]
        if (c == 'и' && (prev == 'ь' || prev == 'ъ')) {
          out.add(Segment.of("Y"));
        }
        boolean softened = softGlide && stressed && IOTATED.indexOf(c) >= 0 && i > 0 && !isVowel(prev)
            && "ьъжшцчщй".indexOf(prev) < 0;
        if (iotated || softened) {
          out.add(Segment.of("Y"));
        }
        out.add(Segment.of(vowel(c, stressed, prev, last)));
        continue;
      }
      Segment s = consonant(c);
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  private static String vowel(char c, boolean stressed, char prev, boolean last) {
    boolean afterHard = prev == 'ж' || prev == 'ш' || prev == 'ц';
    boolean afterSoft = prev == 'ч' || prev == 'щ';
    return switch (c) {
      case 'а' -> stressed ? "AA" : afterSoft ? "IH" : "AH";
      case 'о' -> stressed ? "AO" : "AH";
      case 'у', 'ю' -> "UW";
      case 'ы' -> "IH";
      case 'и' -> afterHard ? "IH" : stressed ? "IY" : "IH";
      case 'э' -> "EH";
      case 'е' -> stressed ? "EH" : "IH";
      case 'ё' -> "AO";
      case 'я' -> stressed ? "AA" : last ? "AH" : "IH";
      default -> throw new IllegalStateException("not a vowel: " + c);
    };
  }

  private static Segment consonant(char c) {
    return switch (c) {
      case 'б' -> Segment.obstruent("B", Voicing.VOICED, "P");
      case 'в' -> Segment.obstruent("V", Voicing.VOICED, "F");
      case 'г' -> Segment.obstruent("G", Voicing.VOICED, "K");
      case 'д' -> Segment.obstruent("D", Voicing.VOICED, "T");
      case 'ж' -> Segment.obstruent("ZH", Voicing.VOICED, "SH");
      case 'з' -> Segment.obstruent("Z", Voicing.VOICED, "S");
      case 'п' -> Segment.obstruent("P", Voicing.VOICELESS, "B");
      case 'ф' -> Segment.obstruent("F", Voicing.VOICELESS, "V");
      case 'к' -> Segment.obstruent("K", Voicing.VOICELESS, "G");
      case 'т' -> Segment.obstruent("T", Voicing.VOICELESS, "D");
      case 'ш' -> Segment.obstruent("SH", Voicing.VOICELESS, "ZH");
      case 'с' -> Segment.obstruent("S", Voicing.VOICELESS, "Z");
      case 'щ' -> Segment.obstruent("SH", Voicing.VOICELESS, "ZH");
      case 'х' -> Segment.obstruent("HH", Voicing.VOICELESS, "HH");
      case 'ч' -> Segment.obstruent("CH", Voicing.VOICELESS, "JH");
      case 'ц' -> {
        Segment s = Segment.of("T", "S");
        s.voicing = Voicing.VOICELESS;
        yield s;
      }
      case 'л' -> Segment.of("L");
      case 'м' -> Segment.of("M");
      case 'н' -> Segment.of("N");
      case 'р' -> Segment.of("R");
      case 'й' -> Segment.of("Y");
      case 'ь', 'ъ' -> null;
      default -> null;
    };
  }

  /**
   * Final devoicing and regressive assimilation: an obstruent takes the voicing of the obstruent after it, and a
   * word's last obstruent is voiceless. Sonorants and vowels break a cluster.
   */
  private static void assimilateVoicing(List<Segment> segments) {
    Voicing next = Voicing.VOICELESS;   // the end of the word devoices
    boolean nextVoices = true;
    for (int i = segments.size() - 1; i >= 0; i--) {
      Segment s = segments.get(i);
      if (s.voicing == Voicing.NONE) {
        next = Voicing.NONE;
        continue;
      }
      if (s.voicedForm != null) {
        if (next == Voicing.VOICELESS && s.voicing == Voicing.VOICED) {
          set(s, s.voicelessForm, Voicing.VOICELESS);
        } else if (next == Voicing.VOICED && nextVoices && s.voicing == Voicing.VOICELESS
            && !s.voicedForm.equals(s.voicelessForm)) {
          set(s, s.voicedForm, Voicing.VOICED);
        }
      }
      next = s.voicing;
      nextVoices = s.voicing == Voicing.VOICELESS || s.voicesPrevious;
    }
  }

  private static void set(Segment s, String phone, Voicing v) {
    s.phones.set(0, phone);
    s.voicing = v;
  }

  private static boolean isVowel(char c) {
    return VOWELS.indexOf(c) >= 0;
  }
}
