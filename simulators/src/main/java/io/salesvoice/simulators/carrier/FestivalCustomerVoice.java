package io.salesvoice.simulators.carrier;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The simulated customer's English voice from Festival's CMU SLT HTS voice (Debian {@code festival},
 * {@code festvox-us-slt-hts}): a natural US English speaker, which an offline recogniser hears far better than eSpeak
 * NG's robotic voice (measured in stt-worker: 11 of 12 answers word for word against about half). Other languages,
 * or a machine without that voice, get {@code fallback}.
 */
public final class FestivalCustomerVoice implements CustomerVoice {

  static final Path SLT_VOICE = Path.of("/usr/share/festival/voices/us/cmu_us_slt_arctic_hts");

  private final String command;
  private final CustomerVoice fallback;
  private final boolean available;
  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  public FestivalCustomerVoice(String command, CustomerVoice fallback) {
    this.command = command;
    this.fallback = fallback;
    this.available = Files.isDirectory(SLT_VOICE) && Files.isExecutable(Path.of(command).isAbsolute()
        ? Path.of(command) : Path.of("/usr/bin", command));
  }

  /** True when Festival and the SLT voice are installed: English lines are spoken by it. */
  public boolean available() {
    return available;
  }

  @Override
  public byte[] speak(String text, String language) {
    if (!available || language == null || !language.toLowerCase(Locale.ROOT).startsWith("en")) {
      return fallback.speak(text, language);
    }
    return cache.computeIfAbsent(text, t -> {
      try {
        return TelephoneAudio.wavToMulaw8k(synthesize(t));
      } catch (IOException e) {
        throw new IllegalStateException("SIMULATED carrier: Festival cannot say '" + t + "': " + e.getMessage(), e);
      }
    });
  }

  private byte[] synthesize(String text) throws IOException {
    Path wav = Files.createTempFile("simulated-customer", ".wav");
    try {
      Process p = new ProcessBuilder(command, "-eval", "(voice_cmu_us_slt_arctic_hts)", "-o", wav.toString())
          .redirectErrorStream(true).start();
      p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(command + " did not finish in 60 s");
      }
      if (p.exitValue() != 0) {
        throw new IOException(command + " failed with exit code " + p.exitValue());
      }
      return Files.readAllBytes(wav);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command, e);
    } finally {
      Files.deleteIfExists(wav);
    }
  }
}
