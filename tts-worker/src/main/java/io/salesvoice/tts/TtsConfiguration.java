package io.salesvoice.tts;

import io.micrometer.core.instrument.MeterRegistry;
import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.tts.audio.OutputFormat;
import io.salesvoice.tts.engine.TextToSpeech;
import io.salesvoice.tts.stage.AudioCache;
import io.salesvoice.tts.stage.CallRegistry;
import io.salesvoice.tts.stage.TtsMetrics;
import io.salesvoice.tts.stage.TtsStages;
import io.salesvoice.tts.stage.TurnSpeaker;
import io.salesvoice.tts.text.TextNormalizer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.UUID;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the engine, the speaker and the stages of the worker, and runs the stages with the application. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TtsProperties.class)
public class TtsConfiguration {

  @Bean(destroyMethod = "close")
  TextToSpeech textToSpeech(TtsProperties properties) {
    return TextToSpeechFactory.create(properties);
  }

  @Bean
  CallRegistry callRegistry(TtsProperties p) {
    return new CallRegistry(p.maxCalls(), p.callIdleTimeout(), Clock.systemUTC());
  }

  @Bean
  TurnSpeaker turnSpeaker(TextToSpeech engine, CallRegistry calls, TtsProperties p, MeterRegistry meters) {
    return new TurnSpeaker(engine, new TextNormalizer(), calls,
        new AudioCache(p.cache().maxBytes(), p.cache().maxEntryBytes()), new TtsMetrics(meters),
        new TurnSpeaker.Settings(defaultFormat(p), p.callInfoWait(), p.campaignVoices()));
  }

  @Bean(destroyMethod = "close")
  TtsStages ttsStages(TurnSpeaker speaker, CallRegistry calls, TtsProperties p, KafkaSettings kafka,
                      RecordSender sender, MeterRegistry meters) {
    return new TtsStages(speaker, calls, defaultFormat(p), kafka, sender, meters,
        new TtsStages.Settings("tts-worker", instanceId(p), p.callsOffsetReset(), p.concurrencyPerPartition(),
            TtsStages.TopicNames.catalogue()), partitions -> { });
  }

  /** Starts consuming once the context (and the topic catalogue) is up; stops before the sender closes. */
  @Bean
  SmartLifecycle ttsStagesLifecycle(TtsStages stages) {
    return new SmartLifecycle() {
      private volatile boolean running;

      @Override
      public void start() {
        stages.start();
        running = true;
      }

      @Override
      public void stop() {
        stages.close();
        running = false;
      }

      @Override
      public boolean isRunning() {
        return running;
      }
    };
  }

  private static OutputFormat defaultFormat(TtsProperties p) {
    return OutputFormat.of(p.defaultCodec(), p.defaultSampleRate());
  }

  private static String instanceId(TtsProperties p) {
    if (p.instanceId() != null && !p.instanceId().isBlank()) {
      return p.instanceId();
    }
    String host = System.getenv("HOSTNAME");
    if (host != null && !host.isBlank()) {
      return host;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return UUID.randomUUID().toString();
    }
  }
}
