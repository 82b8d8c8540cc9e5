package io.salesvoice.stt.stage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.salesvoice.stt.transcription.CallTranscriber;
import io.salesvoice.stt.transcription.TranscriptionListener;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The worker's own meters: {@code sva.stt.latency} (end of turn detected → final transcript ready, tagged engine),
 * {@code sva.stt.engine.errors}, {@code sva.stt.chunks.duplicate}, {@code sva.stt.chunks.late}, and gauges of calls
 * held and calls speaking.
 */
public final class SttMetrics implements TranscriptionListener {

  private final MeterRegistry registry;
  private final AtomicReference<CallTranscriber> transcriber = new AtomicReference<>();
  private final Counter duplicates;
  private final Counter late;

  public SttMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.duplicates = Counter.builder("sva.stt.chunks.duplicate")
        .description("Audio chunks dropped because their seq was already transcribed")
        .register(registry);
    this.late = Counter.builder("sva.stt.chunks.late")
        .description("Audio chunks dropped because their call had already ended and been flushed")
        .register(registry);
    Gauge.builder("sva.stt.calls.active", transcriber, t -> t.get() == null ? 0 : t.get().activeCalls())
        .description("Calls whose state this instance holds").register(registry);
    Gauge.builder("sva.stt.calls.speaking", transcriber, t -> t.get() == null ? 0 : t.get().speakingCalls())
        .description("Calls with an utterance in progress").register(registry);
  }

  /** Lets the gauges read the transcriber (created after this listener). */
  public void watch(CallTranscriber t) {
    transcriber.set(t);
  }

  @Override
  public void finalTranscript(String engine, Duration latency) {
    Timer.builder("sva.stt.latency")
        .description("End of the customer's turn detected to final transcript ready")
        .tag("engine", engine)
        .publishPercentiles(0.5, 0.9, 0.99)
        .register(registry)
        .record(latency);
  }

  @Override
  public void engineError(String engine, Throwable error) {
    Counter.builder("sva.stt.engine.errors")
        .description("Utterances the speech engine failed on")
        .tag("engine", engine)
        .tag("error", error.getClass().getSimpleName())
        .register(registry)
        .increment();
  }

  @Override
  public void duplicateChunk() {
    duplicates.increment();
  }

  @Override
  public void lateChunk() {
    late.increment();
  }
}
