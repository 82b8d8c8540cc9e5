package io.salesvoice.stt.speech;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The examples of the shipped Russian sales script (dialog-worker's {@code sales-ru.yaml}), copied here so stt-worker's
 * tests need nothing of the dialog worker, and the phrases two of its states publish as {@code expectedPhrases} (in
 * the order dialog-worker's {@code SalesScript.expectedAnswers} gives them); and what customers say there.
 */
public final class RussianAnswers {

  /** The keys of {@link #EXAMPLES} that are slots, not intents. */
  public static final java.util.Set<String> SLOTS = java.util.Set.of("datetime", "team_size");

  /** Intent or slot key → phrases, as in {@code sales-ru.yaml}. */
  public static final Map<String, List<String>> EXAMPLES = examples();

  /** The greeting: its intents, then the global ones, then the interjections. */
  public static final List<String> GREETING = state("yes", "maybe", "busy", "call_later", "no", "not_interested",
      "stop_calling", "transfer_request", "robot_check", "who_are_you", "price", "repeat");

  /** The callback state: it collects a date and time; no "yes" there. */
  public static final List<String> CALLBACK = state("no", "not_interested", "datetime", "stop_calling",
      "transfer_request", "robot_check", "who_are_you", "price", "repeat");

  /** Ten answers to the greeting, as in the measurement. */
  public static final List<String> GREETING_COMMANDS = List.of("да", "нет", "хорошо", "не интересно",
      "перезвоните позже", "сколько стоит", "я занят", "кто это", "не звоните мне больше", "соедините с менеджером");

  /** More answers to the greeting, for the benchmark. */
  public static final List<String> MORE_GREETING_COMMANDS = List.of("да конечно", "давайте", "может быть",
      "не знаю", "я на совещании", "мне неудобно", "позвоните позже", "нам это не нужно", "вы робот",
      "откуда вы звоните", "повторите пожалуйста", "какая цена");

  /** Answers in the callback state. */
  public static final List<String> CALLBACK_COMMANDS = List.of("завтра в три", "в понедельник",
      "в пятницу после обеда", "послезавтра", "завтра утром", "сегодня вечером", "нет", "не интересно");

  /** Russian that no state's phrases cover: a free answer, which offline recognition cannot transcribe. */
  public static final List<String> FREE_SPEECH = List.of("у нас в компании двадцать менеджеров по продажам",
      "мы уже три года работаем с другой системой", "погода сегодня просто замечательная",
      "я хотел бы узнать подробнее о вашем продукте", "наша компания называется ромашка",
      "пришлите мне письмо на почту");

  private RussianAnswers() {
  }

  /** The key (intent or slot) whose example {@code phrase} is; what the dialog understands by it. */
  public static Optional<String> meaningOf(String phrase) {
    return EXAMPLES.entrySet().stream().filter(e -> e.getValue().contains(phrase)).map(Map.Entry::getKey).findFirst();
  }

  private static List<String> state(String... keys) {
    LinkedHashSet<String> phrases = new LinkedHashSet<>();
    for (String key : keys) {
      phrases.addAll(EXAMPLES.get(key));
    }
    return List.copyOf(new ArrayList<>(phrases));
  }

  private static Map<String, List<String>> examples() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("yes", List.of("да", "да конечно", "конечно", "хорошо", "давайте", "да давайте", "да удобно", "удобно",
        "можно", "ладно", "слушаю", "да говорите", "отлично", "интересно", "согласен"));
    m.put("maybe", List.of("может быть", "наверное", "возможно", "не знаю", "я подумаю", "посмотрим"));
    m.put("busy", List.of("я занят", "я занята", "я сейчас занят", "я на совещании", "я за рулём", "мне неудобно",
        "нет времени", "мне некогда"));
    m.put("call_later", List.of("перезвоните позже", "перезвоните завтра", "позвоните позже", "давайте потом",
        "не сейчас", "перезвоните мне вечером"));
    m.put("no", List.of("нет", "нет спасибо", "неа"));
    m.put("not_interested", List.of("не интересно", "мне не интересно", "нам это не нужно", "не надо",
        "у нас уже есть", "не хочу"));
    m.put("price", List.of("сколько стоит", "сколько это стоит", "какая цена", "это дорого"));
    m.put("who_are_you", List.of("кто это", "кто вы", "откуда вы звоните", "из какой компании"));
    m.put("robot_check", List.of("вы робот", "это робот", "я говорю с роботом"));
    m.put("stop_calling", List.of("не звоните мне больше", "больше не звоните", "удалите мой номер"));
    m.put("transfer_request", List.of("соедините с менеджером", "позовите человека", "хочу поговорить с человеком"));
    m.put("repeat", List.of("повторите пожалуйста", "повторите", "что вы сказали"));
    m.put("datetime", List.of("завтра", "завтра утром", "завтра в три", "завтра в десять утра", "в понедельник",
        "во вторник", "в среду", "в четверг", "в пятницу", "в пятницу после обеда", "послезавтра",
        "сегодня вечером"));
    m.put("team_size", List.of("пять человек", "десять человек", "двадцать человек", "у нас десять менеджеров"));
    return java.util.Collections.unmodifiableMap(m);
  }
}
