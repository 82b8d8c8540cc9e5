package io.salesvoice.stt.transcription;

import io.salesvoice.stt.engine.SpeechToText;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Mono;

/**
 * A test engine with the embedded engines' one constraint that matters for liveness: a decoder is held by an utterance
 * from its first audio to its end, and there is only one, so an utterance's final comes only after every utterance
 * opened before it has ended.
 */
public final class OneDecoderEngine implements SpeechToText {

  private final List<OneSession> opened = new ArrayList<>();

  /** Utterances opened so far. */
  public synchronized int sessions() {
    return opened.size();
  }

  @Override
  public String name() {
    return "one-decoder";
  }

  @Override
  public int sampleRate() {
    return 16_000;
  }

  @Override
  public synchronized Session open(String language) {
    OneSession s = new OneSession();
    opened.add(s);
    return s;
  }

  @Override
  public void close() {
  }

  /** Completes, in the order they were opened, the finals of ended utterances that nothing ahead of them holds up. */
  private synchronized void release() {
    for (OneSession s : opened) {
      if (!s.ended) {
        return;
      }
      s.result.complete(new Hypothesis("final of " + s.samples + " samples", 1f));
    }
  }

  private final class OneSession implements Session {
    private final CompletableFuture<Hypothesis> result = new CompletableFuture<>();
    private volatile boolean ended;
    private int samples;

    @Override
    public void accept(short[] s) {
      samples += s.length;
    }

    @Override
    public Mono<Hypothesis> finish() {
      ended = true;
      release();
      return Mono.fromFuture(result, true);
    }

    @Override
    public void cancel() {
      ended = true;
      release();
    }
  }
}
