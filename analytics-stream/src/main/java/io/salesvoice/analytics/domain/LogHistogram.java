package io.salesvoice.analytics.domain;

import java.util.Map;
import java.util.TreeMap;

/**
 * Mergeable histograms of non-negative durations in log buckets (each 4% wider than the last), so percentiles over
 * windows, campaigns and retractions add up exactly and cost a few dozen counters instead of every sample.
 */
public final class LogHistogram {

  /** Relative width of a bucket: a percentile is reported within this error. */
  public static final double RELATIVE_ERROR = 0.04;
  private static final double LOG_BASE = Math.log1p(RELATIVE_ERROR);

  private LogHistogram() {
  }

  static int index(long value) {
    return value <= 0 ? 0 : (int) Math.ceil(Math.log1p(value) / LOG_BASE);
  }

  /** The largest value bucket {@code index} holds, the value percentiles report. */
  static long upperBound(int index) {
    return index == 0 ? 0 : (long) Math.floor(Math.expm1(index * LOG_BASE) + 1e-9);
  }

  /** Adds {@code n} samples (negative to retract) of {@code value}. */
  public static void add(Map<String, Long> histogram, long value, long n) {
    if (n == 0) {
      return;
    }
    histogram.merge(Integer.toString(index(value)), n, LogHistogram::sumOrNull);
  }

  public static void merge(Map<String, Long> into, Map<String, Long> from) {
    from.forEach((bucket, n) -> into.merge(bucket, n, LogHistogram::sumOrNull));
  }

  public static long count(Map<String, Long> histogram) {
    long n = 0;
    for (long c : histogram.values()) {
      n += c;
    }
    return n;
  }

  /** The {@code q}-quantile (0..1] as the upper bound of its bucket; 0 when empty. */
  public static long percentile(Map<String, Long> histogram, double q) {
    TreeMap<Integer, Long> sorted = new TreeMap<>();
    histogram.forEach((bucket, n) -> sorted.merge(Integer.parseInt(bucket), n, Long::sum));
    long total = 0;
    for (long n : sorted.values()) {
      total += Math.max(0, n);
    }
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (Map.Entry<Integer, Long> e : sorted.entrySet()) {
      seen += Math.max(0, e.getValue());
      if (seen >= rank) {
        return upperBound(e.getKey());
      }
    }
    return upperBound(sorted.lastKey());
  }

  private static Long sumOrNull(Long a, Long b) {
    long sum = a + b;
    return sum == 0 ? null : sum;
  }
}
