package io.salesvoice.simulators.carrier;

/** The simulated customer's voice: a line of a persona as 8 kHz mu-law, the way it reaches a telephone line. */
public interface CustomerVoice {

  /** The line spoken in {@code language} (a BCP 47 tag), as 8 kHz mu-law; blocking (runs a synthesizer). */
  byte[] speak(String text, String language);
}
