package io.salesvoice.simulators.carrier;

import java.util.List;

/** Test audio: short tones as the customer's lines, so tests need no synthesizer. */
final class Tones {

  private Tones() {
  }

  static byte[] tone(int millis, double hz) {
    short[] pcm = new short[TelephoneAudio.SAMPLE_RATE * millis / 1000];
    for (int i = 0; i < pcm.length; i++) {
      pcm[i] = (short) (0.3 * Short.MAX_VALUE * Math.sin(2 * Math.PI * hz * i / TelephoneAudio.SAMPLE_RATE));
    }
    return TelephoneAudio.pcmToMulaw(pcm);
  }

  static CalleeScript.Utterance line(String text, int millis) {
    return new CalleeScript.Utterance(text, TelephoneAudio.frames(tone(millis, 440)));
  }

  /** A voice that says every line as a tone of 10 ms per character (at least 200 ms). */
  static CustomerVoice voice() {
    return (text, language) -> tone(Math.max(200, text.length() * 10), 440);
  }

  static List<CalleeScript.Utterance> lines(int count, int millis) {
    return java.util.stream.IntStream.range(0, count).mapToObj(i -> line("line " + (i + 1), millis)).toList();
  }
}
