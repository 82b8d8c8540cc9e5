package io.salesvoice.dialer;

import io.micrometer.core.instrument.MeterRegistry;
import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.security.ApiKeys;
import io.salesvoice.platform.topics.Topics;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the dialer: its state, the admin API's service and key filter, and the dial loop started once Spring is up. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DialerProperties.class)
public class DialerConfiguration {

  private static final Logger log = LoggerFactory.getLogger(DialerConfiguration.class);

  @Bean
  DialerTopics dialerTopics() {
    return DialerTopics.catalogue();
  }

  @Bean
  Clock dialerClock() {
    return Clock.systemUTC();
  }

  @Bean
  DialerState dialerState() {
    return new DialerState();
  }

  @Bean
  EngineRunner engineRunner(KafkaSettings settings, DialerTopics topics, DialerState state, DialerProperties p,
                            Clock clock, DialerMetrics metrics) {
    return new EngineRunner(() -> new DialerEngine(settings, topics, state,
        new DialerEngine.Settings(p.groupId(), Topics.get(Topics.DIALER_CAMPAIGNS).partitions(), p.answerMargin(),
            p.observationTtl(), p.maxCallDuration()), clock, metrics));
  }

  @Bean
  DialerMetrics dialerMetrics(MeterRegistry meters, org.springframework.beans.factory.ObjectProvider<EngineRunner> runner) {
    return new DialerMetrics(meters, () -> runner.getObject().callsInProgress());
  }

  @Bean
  CampaignService campaignService(DialerState state, RecordSender sender, DialerTopics topics, DialerProperties p,
                                  Clock clock, DialerMetrics metrics) {
    return new CampaignService(state, sender, topics, Topics.get(Topics.DIALER_CAMPAIGNS).partitions(),
        p.maxLeadRows(), clock, metrics);
  }

  @Bean
  ApiKeyFilter dialerApiKeyFilter(DialerProperties p) {
    ApiKeys keys = new ApiKeys(p.apiKey());
    if (!keys.configured()) {
      log.warn("SVA_DIALER_API_KEY (sva.dialer.api-key) is not set: the dialer's API refuses every request");
    }
    return new ApiKeyFilter(keys);
  }

  /** UP once the dialer restored its state from Kafka; until then it neither dials nor reports itself ready. */
  @Bean
  HealthIndicator dialerHealthIndicator(EngineRunner runner) {
    return () -> runner.ready()
        ? Health.up().withDetail("callsInProgress", runner.callsInProgress()).build()
        : Health.outOfService().withDetail("reason", "restoring the dialer's state from Kafka").build();
  }

  /** Starts the dial loop after the context is ready (topics exist by then) and stops it first on shutdown. */
  static final class EngineRunner implements SmartLifecycle {
    private final java.util.function.Supplier<DialerEngine> factory;
    private final AtomicReference<DialerEngine> engine = new AtomicReference<>();

    EngineRunner(java.util.function.Supplier<DialerEngine> factory) {
      this.factory = factory;
    }

    @Override
    public void start() {
      engine.set(factory.get().start());
      log.info("dialer loop started");
    }

    @Override
    public void stop() {
      DialerEngine e = engine.getAndSet(null);
      if (e != null) {
        e.close();
      }
    }

    @Override
    public boolean isRunning() {
      return engine.get() != null;
    }

    boolean ready() {
      DialerEngine e = engine.get();
      return e != null && e.ready();
    }

    long callsInProgress() {
      DialerEngine e = engine.get();
      return e == null ? 0 : e.callsInProgress();
    }
  }
}
