package io.salesvoice.tts.bench;

import io.salesvoice.tts.audio.AudioEncoder;
import io.salesvoice.tts.audio.OutputFormat;
import io.salesvoice.tts.engine.ESpeakNgTextToSpeech;
import io.salesvoice.tts.engine.FestivalTextToSpeech;
import io.salesvoice.tts.engine.FreeTtsTextToSpeech;
import io.salesvoice.tts.engine.SpeechRequest;
import io.salesvoice.tts.engine.TextToSpeech;
import io.salesvoice.tts.text.TextNormalizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Time to first audio and real-time factor of each embedded engine, through the worker's own path (normalise,
 * synthesize, resample and encode to 8 kHz mu-law, cut 20 ms frames). Excluded from the build; run it with
 * {@code ./mvnw -B -ntp -o -pl tts-worker test -Dtest=TtsBenchmark -Dsurefire.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false}.
 * Results go to stdout and {@code tts-worker/target/benchmark.md}.
 */
@Tag("benchmark")
class TtsBenchmark {

  private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);

  private static final List<String> RUSSIAN = List.of(
      "Здравствуйте! Меня зовут Анна, я звоню из компании Альфа.",
      "Вам удобно сейчас говорить пару минут?",
      "Мы предлагаем тариф Бизнес за 1500 ₽ в месяц.",
      "До 31.12.2025 действует скидка 15%.",
      "Могу я записать вас на демонстрацию в четверг в 14:30?",
      "Понимаю, тогда я перезвоню вам позже.",
      "Спасибо за ваше время, всего доброго!",
      "Уточните, пожалуйста, ваш адрес электронной почты.",
      "Наш менеджер свяжется с вами в течение дня.",
      "Это займёт не больше пяти минут.");
  private static final List<String> ENGLISH = List.of(
      "Hello! My name is Anna and I am calling from Alpha Company.",
      "Do you have a couple of minutes to talk right now?",
      "Our business plan costs $49 a month.",
      "There is a 15% discount until 12/31/2025.",
      "Can I book you a demo on Thursday at 2:30?",
      "I understand, I will call you back later.",
      "Thank you for your time, have a great day!",
      "Could you spell your email address for me, please?",
      "Our manager will contact you within a day.",
      "It will take no more than five minutes.");

  @Test
  void embeddedEngines() throws Exception {
    StringBuilder report = new StringBuilder();
    report.append(String.format(Locale.ROOT, "machine: %d cores, Java %s, %d rounds of 10 sentences, output 8 kHz mu-law%n%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), ROUNDS));
    report.append("| engine | language | first 20 ms frame median | p90 | RTF median | p90 |\n");
    report.append("| --- | --- | --- | --- | --- | --- |\n");
    if (ESpeakNgTextToSpeech.isInstalled("espeak-ng")) {
      try (TextToSpeech espeak = new ESpeakNgTextToSpeech(ESpeakNgTextToSpeech.Settings.defaults())) {
        Thread.sleep(500);   // let the warm processes start
        report.append(run(espeak, "ru-RU", RUSSIAN)).append(run(espeak, "en-US", ENGLISH));
      }
    }
    try (TextToSpeech freetts = new FreeTtsTextToSpeech(new FreeTtsTextToSpeech.Settings("kevin16", 150f, 1))) {
      report.append(run(freetts, "en-US", ENGLISH));
    }
    if (FestivalTextToSpeech.isInstalled("festival", "msu_ru_nsh_clunits")) {
      FestivalTextToSpeech festival = new FestivalTextToSpeech(FestivalTextToSpeech.Settings.defaults());
      try (festival) {
        festival.warmUp().block(Duration.ofMinutes(1));
        report.append(run(festival, "ru-RU", RUSSIAN));
      }
    }
    System.out.println(report);
    Files.writeString(Path.of("target", "benchmark.md"), report);
  }

  private static String run(TextToSpeech engine, String language, List<String> sentences) {
    TextNormalizer normalizer = new TextNormalizer();
    OutputFormat format = OutputFormat.telephone();
    // one untimed round: JIT, caches, processes
    for (String s : sentences) {
      once(engine, normalizer.normalize(s, language), language, format);
    }
    List<Double> firstMs = new ArrayList<>();
    List<Double> rtf = new ArrayList<>();
    for (int r = 0; r < ROUNDS; r++) {
      for (String s : sentences) {
        long[] m = once(engine, normalizer.normalize(s, language), language, format);
        firstMs.add(m[0] / 1e6);
        rtf.add((m[1] / 1e6) / (m[2] * (double) format.frameMs()));
      }
    }
    return String.format(Locale.ROOT, "| %s | %s | %.1f ms | %.1f ms | %.3f | %.3f |%n", engine.name(), language,
        percentile(firstMs, 50), percentile(firstMs, 90), percentile(rtf, 50), percentile(rtf, 90));
  }

  /** Nanoseconds to the first frame, nanoseconds to the last, frames. */
  private static long[] once(TextToSpeech engine, String text, String language, OutputFormat format) {
    long start = System.nanoTime();
    AtomicLong first = new AtomicLong();
    AtomicLong frames = new AtomicLong();
    AudioEncoder[] encoder = new AudioEncoder[1];
    engine.synthesize(SpeechRequest.of(text, language))
        .concatMapIterable(b -> {
          if (encoder[0] == null) {
            encoder[0] = format.newEncoder(b.sampleRate());
          }
          return encoder[0].encode(b.samples());
        })
        .concatWith(reactor.core.publisher.Flux.defer(() -> reactor.core.publisher.Flux.fromIterable(encoder[0].finish())))
        .doOnNext(f -> {
          if (frames.getAndIncrement() == 0) {
            first.set(System.nanoTime() - start);
          }
        })
        .blockLast(Duration.ofMinutes(1));
    return new long[] {first.get(), System.nanoTime() - start, frames.get()};
  }

  private static double percentile(List<Double> values, int p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index));
  }
}
