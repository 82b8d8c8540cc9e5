package io.salesvoice.dialer.domain;

/**
 * Pacing of one campaign: a token bucket that fills at {@code perSecond} and holds a tenth of a second's worth (at least
 * one token), so in any window of {@code w} seconds a campaign starts at most {@code perSecond * w + burst} calls, even
 * after idling.
 */
public final class Pacer {

  private final double perSecond;
  private final double capacity;
  private double tokens;
  private long lastNanos;
  private boolean started;

  public Pacer(double perSecond) {
    if (!(perSecond > 0)) {
      throw new IllegalArgumentException("pacing must be positive");
    }
    this.perSecond = perSecond;
    this.capacity = Math.max(1.0, Math.floor(perSecond / 10));
  }

  /** The most calls that may start at once: {@code max(1, perSecond / 10)}. */
  public int burst() {
    return (int) capacity;
  }

  /** Takes one token at {@code nowMillis} (the dialer's clock) when there is one. */
  public boolean tryAcquire(long nowMillis) {
    refill(nowMillis);
    if (tokens >= 1.0) {
      tokens -= 1.0;
      return true;
    }
    return false;
  }

  /** Whether a token is there, without taking it. */
  public boolean available(long nowMillis) {
    refill(nowMillis);
    return tokens >= 1.0;
  }

  private void refill(long nowMillis) {
    long now = nowMillis * 1_000_000L;
    if (!started) {
      started = true;
      tokens = 1.0;
      lastNanos = now;
      return;
    }
    if (now > lastNanos) {
      tokens = Math.min(capacity, tokens + (now - lastNanos) / 1e9 * perSecond);
      lastNanos = now;
    }
  }
}
