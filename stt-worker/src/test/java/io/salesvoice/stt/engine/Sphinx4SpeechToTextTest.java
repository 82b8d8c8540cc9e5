package io.salesvoice.stt.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.salesvoice.stt.audio.Codec;
import io.salesvoice.stt.audio.Pcm;
import io.salesvoice.stt.speech.Speech;
import io.salesvoice.stt.speech.TestEngines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sphinx4 on real synthesized speech: wide-band, and telephone-band upsampled. */
class Sphinx4SpeechToTextTest {

  private static Sphinx4SpeechToText engine;

  @BeforeAll
  static void load() {
    engine = TestEngines.sphinx4();
  }

  @Test
  void recognisesASalesSentenceStreamedIn20MsChunks() {
    // partials need audio arriving over time; this test streams it at once, the stage test paces it
    assumeTrue(Speech.espeakAvailable(), "espeak-ng is not installed (apt-get install espeak-ng)");
    short[] audio = Speech.concat(Speech.silence(16_000, 200), Speech.synthesize("en-us+f2", "I would like to book a meeting", 16_000), Speech.silence(16_000, 200));
    SpeechToText.Session session = engine.open("en-US");
    List<String> partials = new ArrayList<>();
    for (short[] chunk : Speech.chunks(audio, 16_000, 20)) {
      session.accept(chunk);
      session.partial().ifPresent(partials::add);
    }
    SpeechToText.Hypothesis h = session.finish().block(Duration.ofSeconds(60));
    System.out.println("sphinx4 16k: '" + h.text() + "', partials " + partials);
    assertThat(Speech.wordErrorRate("I would like to book a meeting", h.text())).isLessThanOrEqualTo(0.5);
  }

  @Test
  void recognisesTelephoneBandMulawUpsampledTo16k() {
    assumeTrue(Speech.espeakAvailable(), "espeak-ng is not installed (apt-get install espeak-ng)");
    short[] narrow = Speech.synthesize("en-us+f2", "I would like to book a meeting", 8_000);
    byte[] mulaw = new byte[narrow.length];
    for (int i = 0; i < narrow.length; i++) {
      mulaw[i] = Pcm.encodeMulaw(narrow[i]);
    }
    short[] wide = Speech.resample(Pcm.decode(Codec.MULAW, mulaw), 8_000, 16_000);
    SpeechToText.Session session = engine.open("en-US");
    session.accept(wide);
    SpeechToText.Hypothesis h = session.finish().block(Duration.ofSeconds(60));
    System.out.println("sphinx4 8k mulaw: '" + h.text() + "'");
    assertThat(Speech.wordErrorRate("I would like to book a meeting", h.text())).isLessThanOrEqualTo(0.5);
  }
}
