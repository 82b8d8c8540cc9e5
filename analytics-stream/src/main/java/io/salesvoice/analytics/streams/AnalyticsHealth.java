package io.salesvoice.analytics.streams;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/** Readiness follows the streams: an instance whose threads died must leave the load balancer. */
@Component
public class AnalyticsHealth implements HealthIndicator {

  private final AnalyticsStreams streams;

  public AnalyticsHealth(AnalyticsStreams streams) {
    this.streams = streams;
  }

  @Override
  public Health health() {
    KafkaStreams s = streams.streams();
    if (s == null) {
      return Health.outOfService().withDetail("state", "NOT_STARTED").build();
    }
    KafkaStreams.State state = s.state();
    Health.Builder b = state.isRunningOrRebalancing() ? Health.up() : Health.down();
    return b.withDetail("state", state.name()).withDetail("server", String.valueOf(streams.self())).build();
  }
}
