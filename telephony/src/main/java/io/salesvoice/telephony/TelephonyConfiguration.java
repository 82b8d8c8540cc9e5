package io.salesvoice.telephony;

import io.micrometer.core.instrument.MeterRegistry;
import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.security.CallTokens;
import io.salesvoice.telephony.domain.CallPlacer;
import io.salesvoice.telephony.domain.Originator;
import io.salesvoice.telephony.ledger.KafkaPlacementLedger;
import io.salesvoice.telephony.voximplant.VoximplantCallPlacer;
import io.salesvoice.telephony.voximplant.VoximplantCredentials;
import io.salesvoice.telephony.web.VoximplantEventsController;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;

/**
 * Wires the worker: Voximplant credentials and client, the Kafka ledger, the originator, the stage (started once
 * Spring is up, or waiting with the reason when something it needs is not configured) and the callback endpoint.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TelephonyProperties.class)
public class TelephonyConfiguration {

  private static final Logger log = LoggerFactory.getLogger(TelephonyConfiguration.class);

  /** What is configured, and what is missing before calls can be placed. */
  record Readiness(Optional<VoximplantCredentials> credentials, List<String> missing) {
    boolean ready() {
      return missing.isEmpty();
    }
  }

  @Bean
  Readiness telephonyReadiness(TelephonyProperties p) {
    List<String> missing = new ArrayList<>();
    TelephonyProperties.Voximplant v = p.voximplant();
    Optional<VoximplantCredentials> credentials = Optional.empty();
    try {
      if (present(v.credentials())) {
        credentials = Optional.of(VoximplantCredentials.serviceAccount(v.credentials(), Clock.systemUTC()));
      } else if (present(v.credentialsFile())) {
        credentials = Optional.of(VoximplantCredentials.serviceAccountFile(Path.of(v.credentialsFile()),
            Clock.systemUTC()));
      } else if (present(v.accountId()) || present(v.apiKey())) {
        credentials = Optional.of(new VoximplantCredentials.ApiKey(v.accountId(), v.apiKey()));
      } else {
        missing.add("Voximplant credentials (SVA_TELEPHONY_VOXIMPLANT_CREDENTIALS or _CREDENTIALS_FILE: a service "
            + "account key; or SVA_TELEPHONY_VOXIMPLANT_ACCOUNT_ID + SVA_TELEPHONY_VOXIMPLANT_API_KEY)");
      }
    } catch (RuntimeException e) {
      missing.add("usable Voximplant credentials: " + e.getMessage());
    }
    if (v.ruleId() <= 0) {
      missing.add("the routing rule of the outbound scenario (SVA_TELEPHONY_VOXIMPLANT_RULE_ID)");
    }
    if (!present(v.callerId())) {
      missing.add("the caller id the scenario dials from (SVA_TELEPHONY_VOXIMPLANT_CALLER_ID)");
    }
    if (!present(p.mediaUrl())) {
      missing.add("ingest-audio's media URL (SVA_INGEST_MEDIA_URL, e.g. wss://ingest.example.com/media/voximplant)");
    }
    if (!present(p.mediaTokenSecret()) || p.mediaTokenSecret().getBytes(StandardCharsets.UTF_8).length < 16) {
      missing.add("the media token secret shared with ingest-audio, at least 16 bytes (SVA_INGEST_TOKEN_SECRET)");
    }
    if (!present(p.callbackUrl())) {
      missing.add("the URL the scenario reports outcomes to (SVA_TELEPHONY_CALLBACK_URL, "
          + "e.g. https://telephony.example.com/api/voximplant/events)");
    }
    return new Readiness(credentials, List.copyOf(missing));
  }

  /** Per-call callback tokens; a random secret when none is configured, so tokens never rest on a default. */
  @Bean
  CallTokens callbackTokens(TelephonyProperties p) {
    byte[] secret;
    if (present(p.callbackSecret())) {
      secret = p.callbackSecret().getBytes(StandardCharsets.UTF_8);
    } else {
      secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      log.warn("No SVA_TELEPHONY_CALLBACK_SECRET: callback tokens are signed with a random per-process secret, so "
          + "reports of calls placed before a restart will be refused");
    }
    return new CallTokens(secret, Clock.systemUTC());
  }

  @Bean
  OriginationStage.TelephonyTopics telephonyTopics() {
    return OriginationStage.TelephonyTopics.catalogue();
  }

  @Bean(destroyMethod = "close")
  KafkaPlacementLedger placementLedger(KafkaSettings settings, OriginationStage.TelephonyTopics topics,
                                       RecordSender sender) {
    return new KafkaPlacementLedger(settings, topics.placed(), sender);
  }

  @Bean
  VoximplantEventsController voximplantEventsController(CallTokens callbackTokens, RecordSender sender,
                                                        OriginationStage.TelephonyTopics topics, MeterRegistry meters) {
    return new VoximplantEventsController(callbackTokens, sender, topics.calls(), Clock.systemUTC(), meters);
  }

  /**
   * A WebClient of its own, not Spring's instrumented builder: that one would tag {@code http.client.requests} with
   * request details; {@code sva.telephony.provider.requests} measures the calls instead.
   */
  @Bean
  StageRunner telephonyStageRunner(Readiness readiness, TelephonyProperties p, CallTokens callbackTokens,
                                   KafkaPlacementLedger ledger, OriginationStage.TelephonyTopics topics,
                                   KafkaSettings settings, RecordSender sender, MeterRegistry meters) {
    Supplier<Disposable> start = () -> {
      TelephonyProperties.Voximplant v = p.voximplant();
      CallPlacer placer = new VoximplantCallPlacer(WebClient.builder(), readiness.credentials().orElseThrow(),
          new VoximplantCallPlacer.Settings(v.apiUrl(), v.ruleId(), v.requestTimeout(), v.maxAttempts(),
              v.initialBackoff(), v.maxBackoff(), v.maxConcurrentRequests(), v.maxWaitForSlot()), meters);
      CallTokens mediaTokens = new CallTokens(p.mediaTokenSecret().getBytes(StandardCharsets.UTF_8),
          Clock.systemUTC());
      Originator originator = new Originator(ledger, placer, mediaTokens, callbackTokens,
          new Originator.Settings(p.mediaUrl(), p.callbackUrl(), v.callerId(), p.callbackGrace(),
              v.maxCustomDataChars()), Clock.systemUTC());
      log.info("telephony consuming {} and placing calls through {}", topics.requests(), placer);
      return new OriginationStage(topics, originator, sender, meters)
          .build(settings, OriginationStage.NAME, p.concurrencyPerPartition(), p.minBackoff(), p.maxBackoff(),
              ledger::catchUp)
          .start();
    };
    return new StageRunner(start, readiness);
  }

  /** telephony's health: whether calls are being placed, or wait in Kafka for what is missing. */
  @Bean
  HealthIndicator telephonyHealthIndicator(Readiness readiness, StageRunner runner) {
    return () -> {
      if (!readiness.ready()) {
        return Health.outOfService()
            .withDetail("calls", "waiting")
            .withDetail("missing", readiness.missing())
            .withDetail("reason", "call requests stay in sva.dialer.requests until this is configured")
            .build();
      }
      return Health.up().withDetail("calls", runner.isRunning() ? "placing" : "stopped")
          .withDetail("credentials", readiness.credentials().map(VoximplantCredentials::kind).orElse("none"))
          .build();
    };
  }

  private static boolean present(String s) {
    return s != null && !s.isBlank();
  }

  /** Starts the stage after the context is ready, or says loudly why it does not. */
  static final class StageRunner implements SmartLifecycle {
    private final Supplier<Disposable> start;
    private final Readiness readiness;
    private volatile Disposable running;

    StageRunner(Supplier<Disposable> start, Readiness readiness) {
      this.start = start;
      this.readiness = readiness;
    }

    @Override
    public void start() {
      if (!readiness.ready()) {
        log.warn("Outbound calls are WAITING: sva.dialer.requests is not consumed until these are configured: {}",
            String.join("; ", readiness.missing()));
        return;
      }
      running = start.get();
    }

    @Override
    public void stop() {
      Disposable d = running;
      if (d != null) {
        d.dispose();
      }
      running = null;
    }

    @Override
    public boolean isRunning() {
      return running != null;
    }
  }
}
