package io.salesvoice.platform.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ResilienceDefaultsTest {

  @Test
  void backoffGrowsWithJitterAndIsCapped() {
    IntervalFunction backoff = ResilienceDefaults.backoff();
    for (int i = 0; i < 200; i++) {
      assertThat(backoff.apply(1)).isBetween(250L, 750L);
      assertThat(backoff.apply(2)).isBetween(500L, 1500L);
      assertThat(backoff.apply(20)).isLessThanOrEqualTo(30_000L);
    }
  }

  @Test
  void jitterSpreadsTheRetriesOfManyClients() {
    IntervalFunction backoff = ResilienceDefaults.backoff();
    long distinct = java.util.stream.IntStream.range(0, 100).mapToLong(i -> backoff.apply(3)).distinct().count();
    assertThat(distinct).isGreaterThan(50);
  }

  @Test
  void retriesOnlyWhatThePredicateCallsRetryable() {
    Retry retry = Retry.of("test", ResilienceDefaults.retry(3, e -> e instanceof IOException));
    AtomicInteger calls = new AtomicInteger();
    try {
      Retry.decorateCheckedSupplier(retry, () -> {
        calls.incrementAndGet();
        throw new IllegalArgumentException("permanent");
      }).get();
    } catch (Throwable expected) {
      assertThat(expected).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(calls).hasValue(1);
  }
}
