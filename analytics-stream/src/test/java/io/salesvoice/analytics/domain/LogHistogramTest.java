package io.salesvoice.analytics.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogHistogramTest {

  @Test
  void percentilesAreWithinTheBucketWidth() {
    Map<String, Long> h = new HashMap<>();
    for (long v = 1; v <= 1_000; v++) {
      LogHistogram.add(h, v, 1);
    }
    assertThat(LogHistogram.count(h)).isEqualTo(1_000);
    assertThat(LogHistogram.percentile(h, 0.5)).isCloseTo(500L, within(20L));
    assertThat(LogHistogram.percentile(h, 0.9)).isCloseTo(900L, within(36L));
    assertThat(LogHistogram.percentile(h, 0.99)).isCloseTo(990L, within(40L)).isGreaterThanOrEqualTo(990L);
    assertThat(h.size()).isLessThan(200);
  }

  @Test
  void retractionsCancelExactlyAndEmptyBucketsDisappear() {
    Map<String, Long> h = new HashMap<>();
    LogHistogram.add(h, 120_000, 1);
    LogHistogram.add(h, 300_000, 1);
    LogHistogram.add(h, 120_000, -1);
    assertThat(h).hasSize(1);
    assertThat(LogHistogram.percentile(h, 0.5)).isCloseTo(300_000L, within(12_000L));
    LogHistogram.add(h, 300_000, -1);
    assertThat(h).isEmpty();
    assertThat(LogHistogram.percentile(h, 0.9)).isZero();
  }

  @Test
  void zeroAndNegativeDurationsLandInTheFirstBucket() {
    Map<String, Long> h = new HashMap<>();
    LogHistogram.add(h, 0, 1);
    LogHistogram.add(h, -5, 1);
    assertThat(LogHistogram.percentile(h, 0.99)).isZero();
  }
}
