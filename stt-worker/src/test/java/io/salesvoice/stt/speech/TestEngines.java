package io.salesvoice.stt.speech;

import io.salesvoice.stt.engine.Sphinx4SpeechToText;

/** One Sphinx4 engine per test JVM: loading its model takes seconds to tens of seconds on a busy machine. */
public final class TestEngines {

  private static Sphinx4SpeechToText sphinx4;

  private TestEngines() {
  }

  public static synchronized Sphinx4SpeechToText sphinx4() {
    if (sphinx4 == null) {
      sphinx4 = new Sphinx4SpeechToText(new Sphinx4SpeechToText.Settings(1, 3000, 30, null, null, null));
      sphinx4.warmUp().block();
      Runtime.getRuntime().addShutdownHook(new Thread(sphinx4::close));
    }
    return sphinx4;
  }
}
