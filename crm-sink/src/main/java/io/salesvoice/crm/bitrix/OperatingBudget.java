package io.salesvoice.crm.bitrix;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bitrix24's second limit: a method that ran for more than 480 s within 10 minutes is blocked for the whole portal
 * (HTTP 429 {@code OPERATION_TIME_LIMIT}). Every response reports the method's running total in
 * {@code time.operating} and when part of it is released in {@code time.operating_reset_at}; this keeps the latest
 * report per method and tells a caller to hold a method back once it is close to the limit, instead of earning the
 * block. Plain Java; times are epoch milliseconds.
 */
public final class OperatingBudget {

  private record Usage(double operatingSeconds, long resetAtMillis, boolean blocked) {
  }

  private final double limitSeconds;
  private final double headroom;
  private final long defaultBlockMillis;
  private final Map<String, Usage> usage = new ConcurrentHashMap<>();

  /**
   * @param limitSeconds       the portal's limit per method and window (480)
   * @param headroom           fraction of the limit the sink uses before it holds a method back, e.g. 0.9
   * @param defaultBlockMillis how long a blocked method stays blocked when the portal did not say (10 minutes)
   */
  public OperatingBudget(double limitSeconds, double headroom, long defaultBlockMillis) {
    this.limitSeconds = limitSeconds;
    this.headroom = headroom;
    this.defaultBlockMillis = defaultBlockMillis;
  }

  /** Records what a response said about {@code method}. {@code resetAtMillis} may be 0 when absent. */
  public void report(String method, double operatingSeconds, long resetAtMillis) {
    usage.compute(key(method), (k, old) -> new Usage(operatingSeconds, resetAtMillis, false));
  }

  /** The portal blocked {@code method} (OPERATION_TIME_LIMIT). */
  public void blocked(String method, long nowMillis) {
    usage.compute(key(method), (k, old) -> {
      long until = old != null && old.resetAtMillis() > nowMillis ? old.resetAtMillis() : nowMillis + defaultBlockMillis;
      return new Usage(limitSeconds, until, true);
    });
  }

  /** Milliseconds to wait before {@code method} may be called again; 0 when it may be called now. */
  public long waitBeforeCalling(String method, long nowMillis) {
    Usage u = usage.get(key(method));
    if (u == null || u.resetAtMillis() <= nowMillis) {
      return 0;
    }
    if (u.blocked() || u.operatingSeconds() >= limitSeconds * headroom) {
      return u.resetAtMillis() - nowMillis;
    }
    return 0;
  }

  /** The last reported running total of {@code method}, seconds. */
  public double operating(String method) {
    Usage u = usage.get(key(method));
    return u == null ? 0 : u.operatingSeconds();
  }

  private static String key(String method) {
    return method.toLowerCase(java.util.Locale.ROOT);
  }
}
