package io.salesvoice.crm.bitrix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeakyBucketTest {

  private static final long SECOND = 1_000_000_000L;
  private static final long NO_LIMIT = Long.MAX_VALUE;

  @Test
  void aBurstUpToTheCapacityGoesOutAtOnce() {
    LeakyBucket bucket = new LeakyBucket(48, 2, 0);
    for (int i = 0; i < 48; i++) {
      assertThat(bucket.reserve(0, NO_LIMIT)).as("request %d", i).isZero();
    }
    assertThat(bucket.reserve(0, NO_LIMIT)).isEqualTo(SECOND / 2);
  }

  @Test
  void beyondTheBurstRequestsAreSpacedByTheDrainRate() {
    LeakyBucket bucket = new LeakyBucket(2, 2, 0);
    bucket.reserve(0, NO_LIMIT);
    bucket.reserve(0, NO_LIMIT);
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      waits.add(bucket.reserve(0, NO_LIMIT));
    }
    assertThat(waits).containsExactly(SECOND / 2, SECOND, 3 * SECOND / 2, 2 * SECOND);
  }

  @Test
  void theCounterDrainsWithTime() {
    LeakyBucket bucket = new LeakyBucket(10, 5, 0);
    for (int i = 0; i < 10; i++) {
      bucket.reserve(0, NO_LIMIT);
    }
    assertThat(bucket.level(SECOND)).isEqualTo(5.0);
    assertThat(bucket.level(3 * SECOND)).isZero();
    assertThat(bucket.reserve(3 * SECOND, NO_LIMIT)).isZero();
  }

  @Test
  void sentRequestsNeverExceedTheCapacityAtAnyMoment() {
    // Simulate the portal: requests are sent at their reserved times; the counter seen by the portal must stay <= X.
    double capacity = 50;
    double drain = 2;
    LeakyBucket bucket = new LeakyBucket(capacity, drain, 0);
    List<Long> sendTimes = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      long now = i * SECOND / 10;   // callers arrive at 10 per second, five times the drain rate
      sendTimes.add(now + bucket.reserve(now, NO_LIMIT));
    }
    double counter = 0;
    long last = 0;
    for (long t : sendTimes.stream().sorted().toList()) {
      counter = Math.max(0, counter - (t - last) * drain / SECOND);
      last = t;
      counter += 1;
      assertThat(counter).isLessThanOrEqualTo(capacity + 1e-6);
    }
  }

  @Test
  void aReservationThatWouldWaitTooLongIsNotMade() {
    LeakyBucket bucket = new LeakyBucket(1, 1, 0);
    bucket.reserve(0, NO_LIMIT);
    assertThat(bucket.reserve(0, SECOND / 2)).isEqualTo(-1);
    assertThat(bucket.level(0)).isEqualTo(1.0);
    assertThat(bucket.reserve(0, SECOND)).isEqualTo(SECOND);
  }

  @Test
  void aLimitAnswerFillsTheBucket() {
    LeakyBucket bucket = new LeakyBucket(50, 2, 0);
    bucket.saturate(0);
    assertThat(bucket.reserve(0, NO_LIMIT)).isEqualTo(SECOND);
    assertThat(bucket.reserve(0, NO_LIMIT)).isEqualTo(3 * SECOND / 2);
  }
}
