package io.salesvoice.dialer.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class CallingHoursTest {

  private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");          // UTC+3
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");     // UTC-5 in winter, -4 in summer
  private static final ZoneId VLADIVOSTOK = ZoneId.of("Asia/Vladivostok");  // UTC+10
  private final CallingHours nineToEight = CallingHours.parse("09:00", "20:00");

  @Test
  void theSameInstantIsInsideTheHoursInOneZoneAndOutsideInAnother() {
    Instant noonUtc = Instant.parse("2026-01-15T12:00:00Z");   // 15:00 Moscow, 07:00 New York, 22:00 Vladivostok
    assertThat(nineToEight.isOpen(noonUtc, MOSCOW)).isTrue();
    assertThat(nineToEight.isOpen(noonUtc, NEW_YORK)).isFalse();
    assertThat(nineToEight.isOpen(noonUtc, VLADIVOSTOK)).isFalse();

    assertThat(nineToEight.windowEnd(noonUtc, MOSCOW)).contains(Instant.parse("2026-01-15T17:00:00Z"));
  }

  @Test
  void startIsInsideAndEndIsOutside() {
    assertThat(nineToEight.isOpen(Instant.parse("2026-01-15T06:00:00Z"), MOSCOW)).isTrue();   // 09:00
    assertThat(nineToEight.isOpen(Instant.parse("2026-01-15T05:59:59Z"), MOSCOW)).isFalse();
    assertThat(nineToEight.isOpen(Instant.parse("2026-01-15T17:00:00Z"), MOSCOW)).isFalse();  // 20:00
  }

  @Test
  void localHoursFollowDaylightSavingTime() {
    // 09:30 in New York is 14:30 UTC in winter and 13:30 UTC in summer.
    assertThat(nineToEight.isOpen(Instant.parse("2026-01-15T13:30:00Z"), NEW_YORK)).isFalse();
    assertThat(nineToEight.isOpen(Instant.parse("2026-07-15T13:30:00Z"), NEW_YORK)).isTrue();
  }

  @Test
  void aWindowAcrossMidnightEndsTheNextDay() {
    CallingHours night = CallingHours.parse("22:00", "06:00");
    Instant lateMoscow = Instant.parse("2026-01-15T20:00:00Z");   // 23:00 Moscow
    assertThat(night.windowEnd(lateMoscow, MOSCOW)).contains(Instant.parse("2026-01-16T03:00:00Z"));
    Instant earlyMoscow = Instant.parse("2026-01-16T01:00:00Z");  // 04:00 Moscow
    assertThat(night.windowEnd(earlyMoscow, MOSCOW)).contains(Instant.parse("2026-01-16T03:00:00Z"));
    assertThat(night.isOpen(Instant.parse("2026-01-16T09:00:00Z"), MOSCOW)).isFalse();
  }

  @Test
  void badTimesAreRefusedWithAMessage() {
    assertThatThrownBy(() -> CallingHours.parse("9am", "20:00")).hasMessageContaining("start '9am'");
    assertThatThrownBy(() -> CallingHours.parse("09:00", "09:00")).hasMessageContaining("must differ");
  }
}
