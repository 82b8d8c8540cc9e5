package io.salesvoice.tts.engine;

import io.salesvoice.tts.audio.PcmBlock;
import io.salesvoice.tts.audio.WavHeader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * eSpeak NG out of process (Debian {@code espeak-ng}): Russian and English, 22.05 kHz. Its stdout is read while it
 * speaks, so the first 20 ms of audio exist ~10 ms after the text was written; warm processes per voice spare the
 * start-up. Runs on a bounded scheduler named {@code tts-espeak}.
 */
public final class ESpeakNgTextToSpeech implements TextToSpeech {

  /** Largest read from the engine's stdout: about 46 ms at 22.05 kHz; a read returns whatever is there sooner. */
  private static final int READ_BYTES = 2048;

  /**
   * @param executable     the {@code espeak-ng} binary, a name on the PATH or a path
   * @param voices         voice per language, e.g. {@code ru -> ru}, {@code en -> en-us}
   * @param wordsPerMinute speaking rate ({@code -s})
   * @param pitch          0–99 ({@code -p})
   * @param warmProcesses  processes kept started per voice
   * @param maxConcurrency syntheses at once (threads of the scheduler)
   */
  public record Settings(String executable, Voices voices, int wordsPerMinute, int pitch, int warmProcesses,
                         int maxConcurrency) {

    public static Settings defaults() {
      return new Settings("espeak-ng", new Voices(Map.of("ru", "ru", "en", "en-us"), "en-us"), 165, 50, 2,
          Math.max(2, Runtime.getRuntime().availableProcessors() * 2));
    }
  }

  private final Settings settings;
  private final Scheduler scheduler;
  private final ProcessPool pool;
  private final java.util.Set<String> installedVoices;

  public ESpeakNgTextToSpeech(Settings settings) {
    this.settings = settings;
    this.scheduler = Schedulers.newBoundedElastic(settings.maxConcurrency(), 10_000, "tts-espeak", 60, true);
    this.pool = new ProcessPool(this::command, settings.warmProcesses());
    this.installedVoices = installedVoices(settings.executable());
    // Voices configured for languages are warmed up front; others on first use.
    settings.voices().byLanguage().values().stream().distinct()
        .forEach(v -> scheduler.schedule(() -> pool.refill(v)));
  }

  /** True when the executable runs: the worker falls back to FreeTTS when eSpeak NG is not installed. */
  public static boolean isInstalled(String executable) {
    try {
      Process p = new ProcessBuilder(executable, "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public String name() {
    return "espeak";
  }

  @Override
  public Flux<PcmBlock> synthesize(SpeechRequest request) {
    String voice = settings.voices().resolve(request);
    // eSpeak NG silently speaks its default voice for a name it does not know: refuse instead of using the wrong language.
    String base = voice.contains("+") ? voice.substring(0, voice.indexOf('+')) : voice;
    if (!installedVoices.isEmpty() && !installedVoices.contains(base.toLowerCase(java.util.Locale.ROOT))) {
      return Flux.error(new SpeechSynthesisException("eSpeak NG has no voice " + voice + " (see `espeak-ng --voices`)"));
    }
    String text = request.text().replace('\n', ' ').replace('\r', ' ');
    return Flux.using(
            () -> start(voice, text),
            this::read,
            run -> run.process().destroyForcibly())
        .subscribeOn(scheduler);
  }

  private Run start(String voice, String text) {
    Process process;
    try {
      process = pool.take(voice);
    } catch (IOException e) {
      throw SpeechSynthesisException.localFailure("cannot start eSpeak NG", e);
    }
    scheduler.schedule(() -> pool.refill(voice));
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      process.destroyForcibly();
      throw SpeechSynthesisException.localFailure("eSpeak NG (voice " + voice + ") did not take the text", e);
    }
    return new Run(process, voice);
  }

  private Flux<PcmBlock> read(Run run) {
    return Flux.generate(sink -> run.next(sink));
  }

  /** Languages, names and files of the installed voices, as {@code -v} accepts them; empty when they cannot be listed. */
  private static java.util.Set<String> installedVoices(String executable) {
    java.util.Set<String> names = new java.util.HashSet<>();
    try {
      Process p = new ProcessBuilder(executable, "--voices").redirectErrorStream(true).start();
      String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(5, TimeUnit.SECONDS);
      for (String line : listing.split("\n")) {
        String[] cols = line.trim().split("\\s+");
        if (cols.length >= 5 && !cols[0].equals("Pty")) {
          names.add(cols[1].toLowerCase(java.util.Locale.ROOT));
          names.add(cols[3].toLowerCase(java.util.Locale.ROOT));
          names.add(cols[4].toLowerCase(java.util.Locale.ROOT));
          String file = cols[4];
          names.add(file.substring(file.lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT));
        }
      }
    } catch (IOException e) {
      return java.util.Set.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return names;
  }

  private List<String> command(String voice) {
    List<String> c = new ArrayList<>();
    c.add(settings.executable());
    c.add("--stdout");
    c.add("-b");
    c.add("1");   // input is UTF-8
    c.add("-v");
    c.add(voice);
    c.add("-s");
    c.add(String.valueOf(settings.wordsPerMinute()));
    c.add("-p");
    c.add(String.valueOf(settings.pitch()));
    return c;
  }

  @Override
  public void close() {
    pool.close();
    scheduler.dispose();
  }

  /** One synthesis: the process, its header once read, and an odd byte left over between reads. */
  private static final class Run {
    private final Process process;
    private final String voice;
    private final byte[] buffer = new byte[READ_BYTES + 1];
    private WavHeader header;
    private int carry = -1;
    private long samples;

    Run(Process process, String voice) {
      this.process = process;
      this.voice = voice;
    }

    Process process() {
      return process;
    }

    void next(SynchronousSink<PcmBlock> sink) {
      try {
        InputStream out = process.getInputStream();
        if (header == null) {
          header = readHeader(out);
          if (header.channels() != 1 || header.bitsPerSample() != 16) {
            throw new SpeechSynthesisException("eSpeak NG wrote " + header + ", expected 16-bit mono");
          }
        }
        int offset = 0;
        if (carry >= 0) {
          buffer[0] = (byte) carry;
          offset = 1;
          carry = -1;
        }
        int n = out.read(buffer, offset, READ_BYTES);
        if (n < 0) {
          finish(sink);
          return;
        }
        int length = offset + n;
        if ((length & 1) == 1) {
          carry = buffer[length - 1] & 0xFF;
          length--;
        }
        if (length == 0) {
          next(sink);
          return;
        }
        samples += length / 2;
        sink.next(new PcmBlock(header.sampleRate(), PcmBlock.littleEndian(buffer, 0, length)));
      } catch (IOException e) {
        // A local process, not an outage: not worth retrying, so not an IOException to the stage.
        sink.error(SpeechSynthesisException.localFailure("eSpeak NG (voice " + voice + ") failed", e));
      }
    }

    private WavHeader readHeader(InputStream out) throws IOException {
      try {
        return WavHeader.read(out);
      } catch (java.io.EOFException e) {
        throw new SpeechSynthesisException("eSpeak NG (voice " + voice + ") wrote no audio, exit code "
            + exitCode() + "; is the voice installed? `espeak-ng --voices`");
      }
    }

    private void finish(SynchronousSink<PcmBlock> sink) {
      int code = exitCode();
      if (code != 0 && samples == 0) {
        sink.error(new SpeechSynthesisException("eSpeak NG (voice " + voice + ") exited with " + code));
      } else {
        sink.complete();
      }
    }

    private int exitCode() {
      try {
        return process.waitFor(2, TimeUnit.SECONDS) ? process.exitValue() : -1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }
  }
}
