package io.salesvoice.tts.stage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The worker's own meters, beside the stage's: {@code sva.tts.first_audio} (turn chunk received → first frame ready),
 * {@code sva.tts.synthesis} (whole chunk), {@code sva.tts.engine.errors}, {@code sva.tts.turns.skipped} by reason,
 * {@code sva.tts.audio.frames}. Tags are low-cardinality: engine, source (engine or cache), reason.
 */
public final class TtsMetrics {

  private final MeterRegistry registry;

  public TtsMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void firstAudio(String engine, boolean cached, Duration latency) {
    Timer.builder("sva.tts.first_audio")
        .description("From a turn chunk being taken up to its first audio frame being ready")
        .tag("engine", engine)
        .tag("source", cached ? "cache" : "engine")
        .publishPercentiles(0.5, 0.9, 0.99)
        .register(registry)
        .record(latency);
  }

  public void synthesis(String engine, Duration took) {
    Timer.builder("sva.tts.synthesis").tag("engine", engine).register(registry).record(took);
  }

  public void engineError(String engine, Throwable error) {
    Counter.builder("sva.tts.engine.errors").tag("engine", engine)
        .tag("error", error.getClass().getSimpleName()).register(registry).increment();
  }

  public void skipped(CallState.Skip reason) {
    Counter.builder("sva.tts.turns.skipped").tag("reason", reason.name().toLowerCase()).register(registry).increment();
  }

  public void frames(String engine, long frames) {
    Counter.builder("sva.tts.audio.frames").tag("engine", engine).register(registry).increment(frames);
  }
}
