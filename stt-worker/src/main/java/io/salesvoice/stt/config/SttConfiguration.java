package io.salesvoice.stt.config;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.platform.kafka.RecordSender;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.stt.engine.OpenAiSpeechToText;
import io.salesvoice.stt.engine.PocketSphinxSpeechToText;
import io.salesvoice.stt.engine.VoskSpeechToText;
import io.salesvoice.stt.engine.SpeechToText;
import io.salesvoice.stt.engine.Sphinx4SpeechToText;
import io.salesvoice.stt.stage.SttMetrics;
import io.salesvoice.stt.stage.TranscriptionStage;
import io.salesvoice.stt.transcription.CallTranscriber;
import io.salesvoice.stt.transcription.TranscriptionSettings;
import io.salesvoice.stt.turn.TurnSettings;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the engine chosen by {@code sva.stt.engine}, the transcriber and the stage, and runs the stage. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SttProperties.class)
public class SttConfiguration {

  private static final Logger log = LoggerFactory.getLogger(SttConfiguration.class);

  /** A recognizer that could not be loaded ahead is built when an utterance needs it (and its error shows then). */
  private static void warmUpFailed(Throwable e) {
    log.warn("stt-worker: recognizers could not all be loaded ahead; the missing ones are built on first use: {}",
        e.toString());
  }


  @Bean(destroyMethod = "close")
  @ConditionalOnProperty(prefix = "sva.stt", name = "engine", havingValue = "sphinx4", matchIfMissing = true)
  SpeechToText sphinx4(SttProperties p, MeterRegistry registry) {
    SttProperties.Sphinx4 s = p.sphinx4();
    Sphinx4SpeechToText engine = new Sphinx4SpeechToText(new Sphinx4SpeechToText.Settings(p.effectiveDecoders(),
        s.absoluteBeamWidth(), s.partialFrames(), blankToNull(s.acousticModel()), blankToNull(s.dictionary()),
        blankToNull(s.languageModel()), blankToNull(s.grammar())).withRussianOutOfGrammar(s.russianOutOfGrammar()));
    engine.warmUp().subscribe(v -> { }, SttConfiguration::warmUpFailed);   // seconds to load: not on a caller's time
    // how utterances were decided: the dialog's expected phrases, the language model after the grammar failed, or
    // Russian outside the expected phrases (no transcript: no Russian model offline)
    FunctionCounter.builder("sva.stt.sphinx4.utterances", engine, Sphinx4SpeechToText::expectedPhraseMatches)
        .tag("outcome", "expected_phrase").register(registry);
    FunctionCounter.builder("sva.stt.sphinx4.utterances", engine, Sphinx4SpeechToText::languageModelFallbacks)
        .tag("outcome", "language_model_fallback").register(registry);
    FunctionCounter.builder("sva.stt.sphinx4.utterances", engine, Sphinx4SpeechToText::unrecognizedRussian)
        .tag("outcome", "russian_unrecognized").register(registry);
    return engine;
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnProperty(prefix = "sva.stt", name = "engine", havingValue = "pocketsphinx")
  SpeechToText pocketsphinx(SttProperties p) {
    PocketSphinxSpeechToText engine = new PocketSphinxSpeechToText(new PocketSphinxSpeechToText.Settings(
        p.pocketsphinx().library(), p.pocketsphinx().modelDir(), p.effectiveDecoders()));
    engine.warmUp().subscribe(v -> { }, SttConfiguration::warmUpFailed);   // each decoder loads its model once, ahead
    return engine;
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnProperty(prefix = "sva.stt", name = "engine", havingValue = "vosk")
  SpeechToText vosk(SttProperties p) {
    return new VoskSpeechToText(new VoskSpeechToText.Settings(p.vosk().models(), p.vosk().sampleRate(),
        p.effectiveDecoders()));
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnProperty(prefix = "sva.stt", name = "engine", havingValue = "openai")
  SpeechToText openai(SttProperties p) {
    SttProperties.OpenAi o = p.openai();
    return new OpenAiSpeechToText(new OpenAiSpeechToText.Settings(o.apiKey(), o.baseUrl(), o.model(),
        o.maxRetries(), o.timeout(), o.concurrency()));
  }

  @Bean
  SttMetrics sttMetrics(MeterRegistry registry) {
    return new SttMetrics(registry);
  }

  @Bean
  CallTranscriber callTranscriber(SpeechToText engine, SttProperties p, SttMetrics metrics) {
    TranscriptionSettings settings = new TranscriptionSettings(
        new TurnSettings(p.endOfTurnSilence(), p.minSpeech(), p.maxUtterance(), p.speechGap(), p.preRoll()),
        p.vadThresholdDb(), p.vadMarginDb(), p.partialInterval(), p.defaultLanguage(), p.idleTimeout());
    CallTranscriber transcriber = new CallTranscriber(engine, settings, Clock.systemUTC(), metrics);
    metrics.watch(transcriber);
    return transcriber;
  }

  @Bean(destroyMethod = "close")
  TranscriptionStage transcriptionStage(CallTranscriber transcriber, SttProperties p, KafkaSettings settings,
      RecordSender sender, MeterRegistry registry) {
    // every second: ended calls waiting for their last audio are flushed within CallTranscriber.END_GRACE + 1 s
    Duration idleCheck = Duration.ofSeconds(1);
    return new TranscriptionStage(transcriber, new TranscriptionStage.Topology(Topics.AUDIO_IN, Topics.CALLS,
        Topics.DIALOG_TURNS, Topics.TRANSCRIPTS, "stt-worker", p.callsPerPartition(), idleCheck), settings, sender,
        registry);
  }

  /** Starts consuming once the context is up (after the topic catalogue was ensured), stops first on shutdown. */
  @Bean
  SmartLifecycle transcriptionStageLifecycle(TranscriptionStage stage) {
    return new SmartLifecycle() {
      private volatile boolean running;

      @Override
      public void start() {
        stage.start();
        running = true;
      }

      @Override
      public void stop() {
        stage.close();
        running = false;
      }

      @Override
      public boolean isRunning() {
        return running;
      }
    };
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
