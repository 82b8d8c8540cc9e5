package io.salesvoice.stt.benchmark;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.salesvoice.stt.engine.SpeechToText;
import io.salesvoice.stt.engine.Sphinx4SpeechToText;
import io.salesvoice.stt.speech.RussianAnswers;
import io.salesvoice.stt.speech.Speech;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Offline Russian on Sphinx4's English model: Festival's Russian voice answering two states of the shipped script,
 * against the phrases each state expects, on the telephone band (8 kHz mu-law, upsampled as the worker does) for
 * several out-of-grammar probabilities and wideband (16 kHz) for the default; and Russian free speech, which should get
 * no transcript. Rerun with {@code ./mvnw -B -ntp -o -pl stt-worker test -Dgroups=benchmark -Dstt.excludedGroups=none
 * -Dtest=RussianGrammarBenchmark -Dsurefire.failIfNoSpecifiedTests=false}; the report goes to
 * {@code stt-worker/target/russian-grammar.md}.
 */
@Tag("benchmark")
class RussianGrammarBenchmark {

  private record Line(List<String> expected, String said, boolean inGrammar) {
  }

  @Test
  void russianAnswersOnTheEnglishModel() throws Exception {
    assumeTrue(Speech.festivalRussianAvailable(), "apt-get install festival festvox-ru");
    List<Line> lines = new ArrayList<>();
    RussianAnswers.GREETING_COMMANDS.forEach(s -> lines.add(new Line(RussianAnswers.GREETING, s, true)));
    RussianAnswers.MORE_GREETING_COMMANDS.forEach(s -> lines.add(new Line(RussianAnswers.GREETING, s, true)));
    RussianAnswers.CALLBACK_COMMANDS.forEach(s -> lines.add(new Line(RussianAnswers.CALLBACK, s, true)));
    RussianAnswers.FREE_SPEECH.forEach(s -> lines.add(new Line(RussianAnswers.GREETING, s, false)));
    Map<String, short[]> telephone = new LinkedHashMap<>();
    Map<String, short[]> wideband = new LinkedHashMap<>();
    for (Line line : lines) {
      telephone.put(line.said(), utterance(Speech.telephone(Speech.festivalRussian(line.said(), 8_000), 16_000)));
      wideband.put(line.said(), utterance(Speech.festivalRussian(line.said(), 16_000)));
    }

    StringBuilder report = new StringBuilder("# Russian answers on Sphinx4's English model\n\n"
        + "Festival msu_ru_nsh; " + (lines.size() - RussianAnswers.FREE_SPEECH.size()) + " answers in two states ("
        + RussianAnswers.GREETING.size() + " and " + RussianAnswers.CALLBACK.size() + " expected phrases), "
        + RussianAnswers.FREE_SPEECH.size() + " free sentences. 'meaning' = the phrase heard is an example of the same"
        + " intent (what the dialog acts on); a date must be heard exactly.\n\n"
        + "| audio | out-of-grammar probability | 10 greeting commands | answers, word for word | answers, meaning |"
        + " free speech without transcript | final after the audio, p50 / max |\n|---|---|---|---|---|---|---|\n");
    StringBuilder wrongs = new StringBuilder();
    String[] oogs = System.getProperty("bench.oog", "1e-15,1e-20,1e-22,1e-25,1e-30").split(",");
    for (String oog : oogs) {
      run(report, wrongs, lines, telephone, "telephone", Double.parseDouble(oog));
    }
    run(report, wrongs, lines, wideband, "wideband", Sphinx4SpeechToText.Settings.RUSSIAN_OUT_OF_GRAMMAR);
    report.append("\nWrong:\n\n").append(wrongs);
    System.out.print(report);
    Files.writeString(Path.of("target/russian-grammar.md"), report.toString());
  }

  private static void run(StringBuilder report, StringBuilder wrongs, List<Line> lines, Map<String, short[]> audio,
      String band, double oog) {
    Sphinx4SpeechToText.Settings settings = Sphinx4SpeechToText.Settings.defaults()
        .withGrammar(Sphinx4SpeechToText.Settings.SALES_ANSWERS_EN).withRussianOutOfGrammar(oog);
    try (Sphinx4SpeechToText engine = new Sphinx4SpeechToText(settings)) {
      int greeting = 0;
      int right = 0;
      int meaning = 0;
      int answers = 0;
      int rejected = 0;
      int free = 0;
      List<Long> latencies = new ArrayList<>();
      StringBuilder wrong = new StringBuilder();
      for (Line line : lines) {
        SpeechToText.Session session = engine.open("ru-RU", line.expected());
        for (short[] chunk : Speech.chunks(audio.get(line.said()), 16_000, 20)) {
          session.accept(chunk);
        }
        long started = System.nanoTime();
        String heard = session.finish().block(Duration.ofMinutes(3)).text();
        latencies.add((System.nanoTime() - started) / 1_000_000);
        if (line.inGrammar()) {
          answers++;
          boolean exact = heard.equals(line.said());
          right += exact ? 1 : 0;
          greeting += exact && RussianAnswers.GREETING_COMMANDS.contains(line.said())
              && line.expected() == RussianAnswers.GREETING ? 1 : 0;
          // a slot's value must be heard exactly ("завтра утром" is not "в понедельник"); an intent's phrasing need not
          String key = RussianAnswers.meaningOf(line.said()).orElseThrow();
          boolean same = exact || !heard.isEmpty() && !RussianAnswers.SLOTS.contains(key)
              && Objects.equals(RussianAnswers.meaningOf(heard).orElse(null), key);
          meaning += same ? 1 : 0;
          if (!exact) {
            wrong.append(line.said()).append(" → ").append(heard.isEmpty() ? "(nothing)" : heard)
                .append(same ? " (same meaning)" : "").append("; ");
          }
        } else {
          free++;
          rejected += heard.isEmpty() ? 1 : 0;
          if (!heard.isEmpty()) {
            wrong.append(line.said()).append(" → ").append(heard).append("; ");
          }
        }
      }
      latencies.sort(null);
      report.append(String.format("| %s | %.0e | %d/10 | %d/%d | %d/%d | %d/%d | %d / %d ms |%n", band, oog, greeting,
          right, answers, meaning, answers, rejected, free, latencies.get(latencies.size() / 2),
          latencies.get(latencies.size() - 1)));
      wrongs.append(String.format("- %s, %.0e: %s%n", band, oog, wrong));
    }
  }

  private static short[] utterance(short[] speech) {
    return Speech.concat(Speech.silence(16_000, 200), speech, Speech.silence(16_000, 200));
  }
}
