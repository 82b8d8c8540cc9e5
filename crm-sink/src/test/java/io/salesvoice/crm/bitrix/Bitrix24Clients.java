package io.salesvoice.crm.bitrix;

import io.salesvoice.simulators.bitrix.SimulatedBitrix24;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.springframework.web.reactive.function.client.WebClient;

/** Clients of a {@link SimulatedBitrix24} for tests, with short waits. */
public final class Bitrix24Clients {

  private Bitrix24Clients() {
  }

  public static WebClientBitrix24.Limits limits(int burst, double drain, double margin) {
    return new WebClientBitrix24.Limits(burst, drain, margin, Duration.ofSeconds(30), Duration.ofSeconds(20), 4, 480,
        0.9);
  }

  public static CircuitBreakerConfig breaker() {
    return CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(4)
        .minimumNumberOfCalls(4)
        .failureRateThreshold(50)
        .waitDurationInOpenState(Duration.ofSeconds(2))
        .permittedNumberOfCallsInHalfOpenState(1)
        .automaticTransitionFromOpenToHalfOpenEnabled(true)
        .build();
  }

  public static WebClientBitrix24 client(String url, WebClientBitrix24.Limits limits, MeterRegistry meters) {
    return new WebClientBitrix24("test", url, WebClient.builder(), limits, breaker(), meters, System::nanoTime);
  }

  public static WebClientBitrix24 client(SimulatedBitrix24 fake) {
    return client(fake.webhookUrl(), limits(50, 2, 2), new SimpleMeterRegistry());
  }
}
