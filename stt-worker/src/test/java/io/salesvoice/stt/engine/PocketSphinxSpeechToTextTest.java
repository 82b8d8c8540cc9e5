package io.salesvoice.stt.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.salesvoice.stt.speech.LibriVox;
import io.salesvoice.stt.speech.Speech;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

/** PocketSphinx in-process on real read speech (LibriVox, from Debian's pocketsphinx-testdata), streamed in chunks. */
class PocketSphinxSpeechToTextTest {

  private static final Path LIBRARY = Path.of("/usr/lib/x86_64-linux-gnu/libpocketsphinx.so.3");
  private static PocketSphinxSpeechToText engine;

  @BeforeAll
  static void load() {
    assumeTrue(Files.exists(LIBRARY) && Speech.testdataAvailable(),
        "apt-get install pocketsphinx pocketsphinx-en-us pocketsphinx-testdata");
    engine = new PocketSphinxSpeechToText(new PocketSphinxSpeechToText.Settings("libpocketsphinx.so.3",
        PocketSphinxSpeechToText.Settings.defaults().modelDir(), 2));
    engine.warmUp().block(Duration.ofSeconds(30));
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void recognisesReadSpeechStreamedIn20MsChunksWithPartialsOnTheWay() throws Exception {
    LibriVox.Utterance u = LibriVox.load().get(0);
    assertThat(u.sampleRate()).isEqualTo(16_000);
    SpeechToText.Session session = engine.open("en-US");
    List<String> partials = new ArrayList<>();
    for (short[] chunk : Speech.chunks(u.audio(), 16_000, 20)) {
      session.accept(chunk);
      Thread.sleep(1);   // audio arrives over time, as in a call, so the decoder has moments to report
      session.partial().ifPresent(partials::add);
    }
    // audio arrives faster than real time here: on a busy machine the decoder may still be catching up, and a
    // partial is what it reports on the way, before the utterance is finished
    for (int i = 0; i < 500 && partials.isEmpty(); i++) {
      Thread.sleep(10);
      session.partial().ifPresent(partials::add);
    }
    SpeechToText.Hypothesis h = session.finish().block(Duration.ofSeconds(60));
    double wer = Speech.wordErrorRate(u.reference(), h.text());
    System.out.printf("pocketsphinx in-process: '%s' (reference '%s'), WER %.2f, %d partials%n",
        h.text(), u.reference(), wer, partials.size());
    // the whole LibriVox set measures 36.6 % through the worker (LibriVoxWordErrorRateTest); one utterance varies more
    assertThat(wer).isLessThan(0.6);
    assertThat(partials).isNotEmpty();
  }

  @Test
  void decodersAreReusedAcrossUtterancesAndACancelledOneFreesItsDecoder() throws Exception {
    LibriVox.Utterance u = LibriVox.load().get(1);
    // more utterances than decoders, one cancelled half-way: every other one must still finish
    SpeechToText.Session cancelled = engine.open("en-US");
    Speech.chunks(u.audio(), 16_000, 20).stream().limit(50).forEach(cancelled::accept);
    cancelled.cancel();
    List<SpeechToText.Hypothesis> results = Flux.range(0, 4)
        .flatMap(i -> {
          SpeechToText.Session s = engine.open("en-US");
          Speech.chunks(u.audio(), 16_000, 20).forEach(s::accept);
          return s.finish();
        }, 4)
        .collectList().block(Duration.ofSeconds(120));
    results.forEach(h -> System.out.println("pocketsphinx, reused decoder: '" + h.text() + "'"));
    // each decoder's cepstral mean carries over from its last utterance, so the words may differ a little
    assertThat(results).hasSize(4)
        .allSatisfy(h -> assertThat(Speech.wordErrorRate(u.reference(), h.text())).isLessThan(0.6));
  }

  @Test
  void anEmptyUtteranceGivesAnEmptyHypothesis() {
    SpeechToText.Session session = engine.open("en-US");
    assertThat(session.partial()).isEqualTo(Optional.empty());
    assertThat(session.finish().block(Duration.ofSeconds(30)).text()).isEmpty();
  }

  @Test
  void aMissingModelIsAStartUpErrorSayingWhatToInstall(@TempDir Path empty) {
    assertThatThrownBy(() -> new PocketSphinxSpeechToText(
        new PocketSphinxSpeechToText.Settings("libpocketsphinx.so.3", empty, 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("apt-get install pocketsphinx-en-us");
  }

  @Test
  void aMissingLibraryIsAStartUpErrorSayingWhatToInstall() {
    assertThatThrownBy(() -> new PocketSphinxSpeechToText(new PocketSphinxSpeechToText.Settings(
        "libpocketsphinx-not-here.so.3", PocketSphinxSpeechToText.Settings.defaults().modelDir(), 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot be loaded")
        .hasMessageContaining("apt-get install pocketsphinx");
  }
}
