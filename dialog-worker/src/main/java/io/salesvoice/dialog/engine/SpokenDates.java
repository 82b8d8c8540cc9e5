package io.salesvoice.dialog.engine;

import io.salesvoice.dialog.nlu.Language;
import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** A booked moment as the agent says it back: "в четверг, 26 ноября, в 15:00", "Thursday, November 26 at 3:00 PM". */
public final class SpokenDates {

  private static final String[] RU_DAYS = {"в понедельник", "во вторник", "в среду", "в четверг", "в пятницу",
      "в субботу", "в воскресенье"};
  private static final DateTimeFormatter RU = DateTimeFormatter.ofPattern("d MMMM, 'в' HH:mm", Locale.forLanguageTag("ru"));
  private static final DateTimeFormatter EN = DateTimeFormatter.ofPattern("EEEE, MMMM d 'at' h:mm a", Locale.US);

  private SpokenDates() {
  }

  public static String say(LocalDateTime at, Language language) {
    if (language == Language.RU) {
      DayOfWeek d = at.getDayOfWeek();
      return RU_DAYS[d.getValue() - 1] + ", " + at.format(RU);
    }
    return at.format(EN);
  }
}
