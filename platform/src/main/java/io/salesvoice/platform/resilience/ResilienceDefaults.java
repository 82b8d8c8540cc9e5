package io.salesvoice.platform.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * The resilience4j settings every call to an outside service starts from (CRM, cloud speech, LLM), so that retries are
 * spread with jitter, an outage opens a breaker instead of a hot loop, and each worker only overrides what differs.
 */
public final class ResilienceDefaults {

  /** First retry after about this long; each next one waits about twice as long, never more than {@link #MAX_BACKOFF}. */
  public static final Duration INITIAL_BACKOFF = Duration.ofMillis(500);
  public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  /** ±50 %: retries of many instances after one outage do not arrive together. */
  public static final double JITTER = 0.5;

  private ResilienceDefaults() {
  }

  /** Exponential backoff with jitter, capped; retries only what {@code retryable} accepts. */
  public static RetryConfig retry(int maxAttempts, Predicate<Throwable> retryable) {
    return RetryConfig.custom()
        .maxAttempts(maxAttempts)
        .intervalFunction(backoff())
        .retryOnException(retryable)
        .build();
  }

  public static IntervalFunction backoff() {
    return IntervalFunction.ofExponentialRandomBackoff(INITIAL_BACKOFF, 2.0, JITTER, MAX_BACKOFF);
  }

  /**
   * Opens after half of the last 20 calls failed or were slower than {@code slowCall}, waits 30 s, then lets 3 trial
   * calls through.
   */
  public static CircuitBreakerConfig circuitBreaker(Duration slowCall) {
    return CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(20)
        .minimumNumberOfCalls(10)
        .failureRateThreshold(50)
        .slowCallDurationThreshold(slowCall)
        .slowCallRateThreshold(50)
        .waitDurationInOpenState(Duration.ofSeconds(30))
        .permittedNumberOfCallsInHalfOpenState(3)
        .automaticTransitionFromOpenToHalfOpenEnabled(true)
        .build();
  }

  /** {@code permits} calls per {@code period}; a caller waits at most {@code maxWait} for a permit. */
  public static RateLimiterConfig rateLimiter(int permits, Duration period, Duration maxWait) {
    return RateLimiterConfig.custom()
        .limitForPeriod(permits)
        .limitRefreshPeriod(period)
        .timeoutDuration(maxWait)
        .build();
  }
}
