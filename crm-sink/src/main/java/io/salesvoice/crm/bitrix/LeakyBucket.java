package io.salesvoice.crm.bitrix;

/**
 * Our model of Bitrix24's request counter for one portal, so the sink waits instead of earning a
 * {@code QUERY_LIMIT_EXCEEDED}: every request adds one, the counter drains {@code drainPerSecond} every second, and a
 * request that would take it above {@code capacity} is blocked by the portal (50 and 2/s, Enterprise 250 and 5/s).
 *
 * <p>Plain Java with an injected clock. A request is <em>reserved</em>: the caller learns how long to wait before
 * sending it, and later reservations queue behind earlier ones, so concurrent callers never overrun the bucket.
 * The capacity used is the portal's threshold minus a safety margin: the portal drains in whole steps once a second
 * while this model drains continuously, and other integrations may share the same counter.
 */
public final class LeakyBucket {

  private final double capacity;
  private final double drainPerSecond;
  private final double drainPerNano;
  private double level;
  private long updatedAt;

  /**
   * @param capacity       requests the portal takes before blocking (its X), already less any safety margin
   * @param drainPerSecond how much the counter drops each second (its Y)
   * @param now            the clock's current reading, nanoseconds
   */
  public LeakyBucket(double capacity, double drainPerSecond, long now) {
    if (capacity < 1 || drainPerSecond <= 0) {
      throw new IllegalArgumentException("capacity must be at least 1 and the drain rate positive");
    }
    this.capacity = capacity;
    this.drainPerSecond = drainPerSecond;
    this.drainPerNano = drainPerSecond / 1e9;
    this.updatedAt = now;
  }

  /**
   * Reserves one request and says how many nanoseconds the caller must wait before sending it (0: send now). A
   * reservation that would have to wait longer than {@code maxWaitNanos} is not made and returns -1.
   */
  public synchronized long reserve(long now, long maxWaitNanos) {
    drain(now);
    double over = level + 1 - capacity;
    long wait = over <= 0 ? 0 : (long) Math.ceil(over / drainPerNano);
    if (wait > maxWaitNanos) {
      return -1;
    }
    level += 1;
    return wait;
  }

  /**
   * The portal answered QUERY_LIMIT_EXCEEDED: its counter is full whatever we thought (another integration may share
   * it). The next request waits a whole second, for the portal's next drain step, and the ones after it keep to the
   * drain rate.
   */
  public synchronized void saturate(long now) {
    drain(now);
    level = Math.max(level, capacity + drainPerSecond - 1);
  }

  /** The counter as of {@code now}, including requests reserved but maybe not sent yet. */
  public synchronized double level(long now) {
    drain(now);
    return level;
  }

  public double capacity() {
    return capacity;
  }

  private void drain(long now) {
    if (now > updatedAt) {
      level = Math.max(0, level - (now - updatedAt) * drainPerNano);
      updatedAt = now;
    }
  }
}
