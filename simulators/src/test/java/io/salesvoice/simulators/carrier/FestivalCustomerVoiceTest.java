package io.salesvoice.simulators.carrier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FestivalCustomerVoiceTest {

  private final List<String> fallbackLines = new ArrayList<>();
  private final CustomerVoice fallback = (text, language) -> {
    fallbackLines.add(language + ":" + text);
    return new byte[TelephoneAudio.FRAME_BYTES];
  };

  @Test
  void englishLinesAreSpokenByTheSltVoiceAsTelephoneAudioOnce() {
    FestivalCustomerVoice voice = new FestivalCustomerVoice("text2wave", fallback);
    assertThat(voice.available()).as("apt-get install festival festvox-us-slt-hts").isTrue();
    byte[] mulaw = voice.speak("how much does it cost", "en-US");
    double seconds = mulaw.length / (double) TelephoneAudio.SAMPLE_RATE;
    assertThat(seconds).isBetween(0.8, 3.0);
    long loud = 0;
    for (byte b : mulaw) {
      if ((b & 0x7f) < 0x60) {   // mu-law codes far from silence (0x7f/0xff)
        loud++;
      }
    }
    assertThat(loud).as("speech, not silence").isGreaterThan(mulaw.length / 10);
    assertThat(voice.speak("how much does it cost", "en-US")).isSameAs(mulaw);
    assertThat(fallbackLines).isEmpty();
  }

  @Test
  void otherLanguagesAndMachinesWithoutTheVoiceUseTheFallback() {
    new FestivalCustomerVoice("text2wave", fallback).speak("да конечно", "ru-RU");
    new FestivalCustomerVoice("/nonexistent/text2wave", fallback).speak("yes sure", "en-US");
    assertThat(fallbackLines).containsExactly("ru-RU:да конечно", "en-US:yes sure");
  }
}
