package io.salesvoice.stt.transcription;

import io.salesvoice.stt.engine.SpeechToText;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;

/**
 * A test engine that "recognizes" how much audio it was given: its hypotheses are computed from the samples it
 * received, so a test can check exactly what audio reached the engine.
 */
public final class RecordingEngine implements SpeechToText {

  public final List<Recorded> sessions = new CopyOnWriteArrayList<>();
  final AtomicInteger failuresLeft = new AtomicInteger();
  volatile boolean silentFinals;
  /** While set and not complete, finals wait for it: an engine still decoding. */
  volatile java.util.concurrent.CompletableFuture<Void> finalsGate;

  /** One utterance as the engine saw it. */
  public static final class Recorded implements Session {
    final String language;
    /** The phrases the engine was told to expect. */
    public List<String> expected = List.of();
    int samples;
    long sumOfSquares;
    public boolean finished;
    boolean cancelled;
    private final RecordingEngine engine;

    Recorded(RecordingEngine engine, String language) {
      this.engine = engine;
      this.language = language;
    }

    public long ms() {
      return samples / 16L;
    }

    @Override
    public void accept(short[] s) {
      if (finished) {
        throw new IllegalStateException("audio after finish");
      }
      samples += s.length;
      for (short v : s) {
        sumOfSquares += (long) v * v;
      }
    }

    @Override
    public Optional<String> partial() {
      return samples == 0 ? Optional.empty() : Optional.of("heard " + (ms() / 100 * 100) + " ms");
    }

    @Override
    public Mono<Hypothesis> finish() {
      finished = true;
      java.util.concurrent.CompletableFuture<Void> gate = engine.finalsGate;
      Mono<Void> decoded = gate == null ? Mono.empty() : Mono.fromFuture(gate);
      return decoded.then(Mono.defer(() -> {
        if (engine.failuresLeft.getAndDecrement() > 0) {
          return Mono.error(new IllegalStateException("engine failure"));
        }
        return Mono.just(new Hypothesis(engine.silentFinals ? "" : "final " + ms() + " ms", 0.75f));
      }));
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  @Override
  public String name() {
    return "recording";
  }

  @Override
  public int sampleRate() {
    return 16_000;
  }

  @Override
  public Session open(String language) {
    Recorded r = new Recorded(this, language);
    sessions.add(r);
    return r;
  }

  @Override
  public Session open(String language, List<String> expectedPhrases) {
    Recorded r = (Recorded) open(language);
    r.expected = List.copyOf(expectedPhrases);
    return r;
  }

  @Override
  public void close() {
  }
}
