package io.salesvoice.dialer.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * When a lead may be called, in the lead's own timezone: from {@code start} (inclusive) to {@code end} (exclusive).
 * An end before the start is a window across midnight (22:00–06:00).
 */
public record CallingHours(LocalTime start, LocalTime end) {

  public CallingHours {
    if (start.equals(end)) {
      throw new IllegalArgumentException("calling hours start and end must differ");
    }
  }

  /** Parses {@code HH:mm} times; the message says which one is wrong. */
  public static CallingHours parse(String start, String end) {
    return new CallingHours(time("start", start), time("end", end));
  }

  private static LocalTime time(String which, String text) {
    try {
      return LocalTime.parse(text == null ? "" : text.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("calling hours " + which + " '" + text + "' is not a time like 09:00");
    }
  }

  public boolean isOpen(Instant now, ZoneId zone) {
    return windowEnd(now, zone).isPresent();
  }

  /** The end of the window {@code now} lies in, when the lead may be called now. */
  public Optional<Instant> windowEnd(Instant now, ZoneId zone) {
    ZonedDateTime local = now.atZone(zone);
    LocalTime t = local.toLocalTime();
    LocalDate day = local.toLocalDate();
    if (start.isBefore(end)) {
      return !t.isBefore(start) && t.isBefore(end) ? Optional.of(at(day, end, zone)) : Optional.empty();
    }
    if (!t.isBefore(start)) {
      return Optional.of(at(day.plusDays(1), end, zone));
    }
    return t.isBefore(end) ? Optional.of(at(day, end, zone)) : Optional.empty();
  }

  private static Instant at(LocalDate day, LocalTime time, ZoneId zone) {
    return ZonedDateTime.of(day, time, zone).toInstant();
  }
}
