package io.salesvoice.stt.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * PocketSphinx through Debian's {@code pocketsphinx_continuous}: about ten times faster than Sphinx4, for replays of
 * 16 kHz recordings (it fails on telephone-band audio). One process per utterance, started when speech begins so its
 * model loads while the customer talks; audio streams into its stdin as raw 16 kHz PCM. No partial hypotheses.
 */
public final class PocketSphinxSpeechToText implements SpeechToText {

  /**
   * Where the CLI and its model are.
   *
   * @param command path of {@code pocketsphinx_continuous}
   * @param modelDir directory with {@code en-us/}, {@code en-us.lm.bin}, {@code cmudict-en-us.dict}
   * @param processes utterances decoded at once (threads of the {@code pocketsphinx} scheduler)
   */
  public record Settings(String command, Path modelDir, int processes) {

    public static Settings defaults() {
      return new Settings("/usr/bin/pocketsphinx_continuous", Path.of("/usr/share/pocketsphinx/model/en-us"),
          Math.max(1, Runtime.getRuntime().availableProcessors()));
    }
  }

  private final Settings settings;
  private final Scheduler scheduler;

  /** Fails at start-up, with what to install, if the CLI or its model is missing. */
  public PocketSphinxSpeechToText(Settings settings) {
    if (!Files.isExecutable(Path.of(settings.command()))) {
      throw new IllegalStateException(settings.command() + " is not installed: apt-get install pocketsphinx "
          + "pocketsphinx-en-us, or choose another engine with sva.stt.engine");
    }
    if (!Files.isDirectory(settings.modelDir().resolve("en-us"))) {
      throw new IllegalStateException("no PocketSphinx model in " + settings.modelDir()
          + ": apt-get install pocketsphinx-en-us");
    }
    this.settings = settings;
    this.scheduler = Schedulers.newBoundedElastic(settings.processes(), 10_000, "pocketsphinx");
  }

  @Override
  public String name() {
    return "pocketsphinx";
  }

  @Override
  public int sampleRate() {
    return 16_000;
  }

  @Override
  public Session open(String language) {
    CliSession session = new CliSession();
    scheduler.schedule(session::run);
    return session;
  }

  @Override
  public void close() {
    scheduler.dispose();
  }

  private List<String> commandLine() {
    Path m = settings.modelDir();
    return List.of(settings.command(), "-infile", "/dev/stdin",
        "-hmm", m.resolve("en-us").toString(),
        "-lm", m.resolve("en-us.lm.bin").toString(),
        "-dict", m.resolve("cmudict-en-us.dict").toString(),
        "-logfn", "/dev/null");
  }

  private final class CliSession implements Session {
    private final AudioPipe pipe = new AudioPipe();
    private final CompletableFuture<Hypothesis> result = new CompletableFuture<>();
    private volatile boolean cancelled;

    void run() {
      Process process = null;
      try {
        process = new ProcessBuilder(commandLine()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream stdin = process.getOutputStream()) {
          pipe.transferTo(stdin);
        }
        String out;
        try (InputStream stdout = process.getInputStream()) {
          out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("pocketsphinx_continuous did not exit");
        }
        if (process.exitValue() != 0 && !cancelled) {
          throw new IllegalStateException("pocketsphinx_continuous exited with " + process.exitValue());
        }
        // one line per segment its own endpointer found inside our utterance
        List<String> lines = new ArrayList<>();
        for (String line : out.split("\n")) {
          if (!line.isBlank()) {
            lines.add(line.strip());
          }
        }
        result.complete(new Hypothesis(String.join(" ", lines), 1f));
      } catch (IOException e) {
        result.completeExceptionally(new UncheckedIOException("pocketsphinx_continuous failed", e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        result.completeExceptionally(e);
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      } finally {
        if (process != null && process.isAlive()) {
          process.destroyForcibly();
        }
      }
    }

    @Override
    public void accept(short[] samples) {
      pipe.write(samples);
    }

    @Override
    public Mono<Hypothesis> finish() {
      pipe.close();
      return Mono.fromFuture(result, true);
    }

    @Override
    public void cancel() {
      cancelled = true;
      pipe.close();
    }
  }
}
