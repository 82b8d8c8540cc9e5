package io.salesvoice.dialer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that starts at a chosen instant, runs with real time (so pacing can be seen) and can be moved forward. */
final class TestClock extends Clock {

  private final Instant start;
  private final long startNanos = System.nanoTime();
  private volatile Duration skipped = Duration.ZERO;

  TestClock(Instant start) {
    this.start = start;
  }

  void advance(Duration d) {
    skipped = skipped.plus(d);
  }

  @Override
  public Instant instant() {
    return start.plus(skipped).plusNanos(System.nanoTime() - startNanos);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }
}
