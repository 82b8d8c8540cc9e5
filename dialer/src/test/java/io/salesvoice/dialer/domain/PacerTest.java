package io.salesvoice.dialer.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PacerTest {

  @Test
  void startsOneCallThenOnePerIntervalEvenAfterIdling() {
    Pacer pacer = new Pacer(2);   // one call per 500 ms
    assertThat(pacer.tryAcquire(0)).isTrue();
    assertThat(pacer.tryAcquire(0)).isFalse();
    assertThat(pacer.tryAcquire(499)).isFalse();
    assertThat(pacer.tryAcquire(500)).isTrue();
    assertThat(pacer.tryAcquire(60_000)).isTrue();
    assertThat(pacer.tryAcquire(60_000)).as("an idle minute does not save up calls").isFalse();
  }

  @Test
  void fastRatesAllowASmallBurst() {
    Pacer pacer = new Pacer(50);
    assertThat(pacer.burst()).isEqualTo(5);
    pacer.tryAcquire(0);
    int started = 0;
    while (pacer.tryAcquire(10_000)) {
      started++;
    }
    assertThat(started).isEqualTo(5);
  }

  @Test
  void aRateMustBePositive() {
    assertThatThrownBy(() -> new Pacer(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
