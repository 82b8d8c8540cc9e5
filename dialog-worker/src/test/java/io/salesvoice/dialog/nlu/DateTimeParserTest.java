package io.salesvoice.dialog.nlu;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DateTimeParserTest {

  /** A Wednesday. */
  private static final LocalDate TODAY = LocalDate.of(2026, 11, 25);
  private final DateTimeParser parser = new DateTimeParser();

  @ParameterizedTest(name = "ru: {0} → {1} {2}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "завтра в три|2026-11-26|15:00",
      "Завтра в 10 утра|2026-11-26|10:00",
      "послезавтра в 11|2026-11-27|11:00",
      "сегодня в 16:30|2026-11-25|16:30",
      "в пятницу в два часа дня|2026-11-27|14:00",
      "в следующий вторник утром|2026-12-01|10:00",
      "во вторник вечером|2026-12-01|18:00",
      "в понедельник в десять тридцать|2026-11-30|10:30",
      "через два дня в девять|2026-11-27|09:00",
      "через неделю после обеда|2026-12-02|14:00",
      "пятнадцатого декабря в 12|2026-12-15|12:00",
      "1 декабря в 9 утра|2026-12-01|09:00",
      "двадцать восьмого числа в четыре|2026-11-28|16:00",
      "давайте в среду в пол четвертого|2026-12-02|15:30",
      "в четверг|2026-11-26|-",
      "в три часа|-|15:00",
      "в 8 вечера|-|20:00",
      "завтра с утра|2026-11-26|10:00",
      "на следующей неделе в понедельник в 11|2026-11-30|11:00",
      "у нас 20 человек|-|-",
  })
  void russian(String utterance, String date, String time) {
    DateTimeParser.Spoken s = parser.parse(utterance, Language.RU, TODAY);
    assertThat(s.date()).isEqualTo(date == null ? null : LocalDate.parse(date));
    assertThat(s.time()).isEqualTo(time == null ? null : LocalTime.parse(time));
  }

  @ParameterizedTest(name = "en: {0} → {1} {2}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "next Tuesday morning|2026-12-01|10:00",
      "tomorrow at three|2026-11-26|15:00",
      "tomorrow at 10 am|2026-11-26|10:00",
      "the day after tomorrow at 4 pm|2026-11-27|16:00",
      "today at 4:30|2026-11-25|16:30",
      "Friday afternoon|2026-11-27|14:00",
      "on Monday at nine thirty|2026-11-30|09:30",
      "in two days at 11|2026-11-27|11:00",
      "December 3rd at noon|2026-12-03|12:00",
      "the fifth of December at 2|2026-12-05|14:00",
      "on the 28th at 10 a.m.|2026-11-28|10:00",
      "Thursday|2026-11-26|-",
      "at 5 o'clock|-|17:00",
      "half past three tomorrow|2026-11-26|15:30",
      "this Friday evening at 7|2026-11-27|19:00",
      "we have 20 people|-|-",
  })
  void english(String utterance, String date, String time) {
    DateTimeParser.Spoken s = parser.parse(utterance, Language.EN, TODAY);
    assertThat(s.date()).isEqualTo(date == null ? null : LocalDate.parse(date));
    assertThat(s.time()).isEqualTo(time == null ? null : LocalTime.parse(time));
  }

  @Test
  void aTimeAloneIsTodayIfStillAheadElseTomorrow() {
    DateTimeParser.Spoken three = parser.parse("в три", Language.RU, TODAY);
    assertThat(three.resolve(TODAY.atTime(12, 0))).contains(LocalDateTime.of(2026, 11, 25, 15, 0));
    assertThat(three.resolve(TODAY.atTime(16, 0))).contains(LocalDateTime.of(2026, 11, 26, 15, 0));
  }

  @Test
  void aTimeSaidLaterCompletesADateSaidEarlier() {
    DateTimeParser.Spoken day = parser.parse("в четверг", Language.RU, TODAY);
    DateTimeParser.Spoken time = parser.parse("часа в два", Language.RU, TODAY).orElse(day);
    assertThat(time.complete()).isTrue();
    assertThat(time.resolve(TODAY.atTime(9, 0))).contains(LocalDateTime.of(2026, 11, 26, 14, 0));
  }
}
