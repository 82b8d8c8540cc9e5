package io.salesvoice.simulators.carrier;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The simulated customer's voice from eSpeak NG ({@code espeak-ng --stdout}, a 22.05 kHz WAV) turned into 8 kHz mu-law
 * and cached per line and language, or a recorded WAV configured for a line. Each line is synthesized once per process.
 */
public final class EspeakCustomerVoice implements CustomerVoice {

  private final String command;
  private final int wordsPerMinute;
  private final Map<String, Path> recordings;
  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  /**
   * @param command        the eSpeak NG executable, e.g. {@code espeak-ng}
   * @param wordsPerMinute speaking rate (espeak-ng's {@code -s}; 175 is its default)
   * @param recordings     line text → a WAV file played instead of synthesizing that line
   */
  public EspeakCustomerVoice(String command, int wordsPerMinute, Map<String, Path> recordings) {
    this.command = command;
    this.wordsPerMinute = wordsPerMinute;
    this.recordings = Map.copyOf(recordings);
  }

  @Override
  public byte[] speak(String text, String language) {
    String voice = voiceOf(language);
    return cache.computeIfAbsent(voice + "|" + text, k -> {
      Path recording = recordings.get(text);
      try {
        byte[] wav = recording != null ? Files.readAllBytes(recording) : synthesize(text, voice);
        return TelephoneAudio.wavToMulaw8k(wav);
      } catch (IOException e) {
        throw new IllegalStateException("SIMULATED carrier: cannot produce the customer's line '" + text + "': "
            + e.getMessage(), e);
      }
    });
  }

  /** espeak-ng's voice for a BCP 47 tag: en-US → en-us, ru-RU → ru, anything else by its language. */
  static String voiceOf(String language) {
    String tag = language == null ? "en-US" : language.toLowerCase(Locale.ROOT).replace('_', '-');
    if (tag.startsWith("en")) {
      return tag.startsWith("en-gb") ? "en-gb" : "en-us";
    }
    int dash = tag.indexOf('-');
    return dash > 0 ? tag.substring(0, dash) : tag;
  }

  private byte[] synthesize(String text, String voice) throws IOException {
    List<String> argv = new ArrayList<>(List.of(command, "--stdout", "-v", voice, "-s", String.valueOf(wordsPerMinute),
        "--", text));
    Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = p.getInputStream()) {
      in.transferTo(out);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(command + " did not finish in 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted while running " + command, e);
    }
    if (p.exitValue() != 0 || out.size() < 44) {
      throw new IOException(command + " failed (exit " + p.exitValue() + ", " + out.size() + " bytes): is it installed?"
          + " (Debian: apt-get install espeak-ng)");
    }
    return out.toByteArray();
  }
}
