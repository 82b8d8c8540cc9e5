package io.salesvoice.simulators.carrier;

import io.micrometer.core.instrument.MeterRegistry;
import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.security.CallTokens;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.Disposable;

/** Wires the SIMULATED carrier: personas, the eSpeak NG voice, media tokens, the WebSocket leg and the stage. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CarrierProperties.class)
public class CarrierConfiguration {

  private static final Logger log = LoggerFactory.getLogger(CarrierConfiguration.class);

  @Bean
  Personas personas(CarrierProperties p) {
    return Personas.load(p.personaMix());
  }

  @Bean
  CustomerVoice customerVoice(CarrierProperties p) {
    CustomerVoice espeak = new EspeakCustomerVoice(p.espeakCommand(), p.wordsPerMinute(), p.recordings());
    return p.recordings().isEmpty() ? new FestivalCustomerVoice("text2wave", espeak) : espeak;
  }

  @Bean(destroyMethod = "close")
  SimulatedCarrier simulatedCarrier(CarrierProperties p, Personas personas, CustomerVoice voice, RecordSender sender,
                                    MeterRegistry meters) {
    if (p.tokenSecret() == null || p.tokenSecret().getBytes(StandardCharsets.UTF_8).length < 16) {
      throw new IllegalStateException("SIMULATED carrier: set SVA_INGEST_TOKEN_SECRET to the media-token secret of "
          + "ingest-audio (at least 16 bytes); without it ingest-audio refuses every simulated call");
    }
    CallTokens tokens = new CallTokens(p.tokenSecret().getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
    TwilioCalleeLeg leg = new TwilioCalleeLeg(new ReactorNettyWebSocketClient(), p.ingestMediaUrl(),
        System::currentTimeMillis, p.maxCallDuration(), p.stopGrace());
    return new SimulatedCarrier(SimulatedCarrier.CarrierTopics.catalogue(), p.settings(), personas, voice, tokens, leg,
        sender, meters);
  }

  @Bean
  SmartLifecycle simulatedCarrierStage(SimulatedCarrier carrier, KafkaSettings kafka, CarrierProperties p) {
    return new SmartLifecycle() {
      private volatile Disposable running;

      @Override
      public void start() {
        running = carrier.stage(kafka, p.groupId()).start();
        log.info("SIMULATED carrier consuming sva.dialer.requests; calls go to {} (at most {} at once)",
            p.ingestMediaUrl(), p.maxConcurrentCalls());
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
    };
  }
}
