package io.salesvoice.tts.stage;

import io.salesvoice.tts.audio.PcmBlock;
import io.salesvoice.tts.audio.Signals;
import io.salesvoice.tts.engine.SpeechRequest;
import io.salesvoice.tts.engine.TextToSpeech;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Flux;

/** A test engine: 100 ms of tone per word at 16 kHz, in 20 ms blocks, optionally slower than real time. */
final class ToneEngine implements TextToSpeech {

  final List<SpeechRequest> requests = new CopyOnWriteArrayList<>();
  private final Duration perBlock;

  ToneEngine(Duration perBlock) {
    this.perBlock = perBlock;
  }

  @Override
  public String name() {
    return "tone";
  }

  @Override
  public Flux<PcmBlock> synthesize(SpeechRequest request) {
    requests.add(request);
    int words = request.text().split("\\s+").length;
    Flux<PcmBlock> blocks = Flux.range(0, words * 5)
        .map(i -> new PcmBlock(16000, Signals.sine(400, 16000, 320, 8000)));
    return perBlock.isZero() ? blocks : blocks.delayElements(perBlock);
  }
}
