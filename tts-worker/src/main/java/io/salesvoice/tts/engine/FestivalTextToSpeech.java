package io.salesvoice.tts.engine;

import io.salesvoice.tts.audio.PcmBlock;
import io.salesvoice.tts.audio.WavHeader;
import io.salesvoice.tts.text.Sentences;
import java.io.BufferedReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Festival with the Russian voice {@code msu_ru_nsh_clunits} (Debian {@code festival festvox-ru}): much clearer Russian
 * than eSpeak NG, but it synthesizes whole utterances and loads its voice in ~1.5 s. So processes stay warm (one voice
 * loaded each, serving requests one after the other) and a text is spoken sentence by sentence: the first sentence goes
 * out while the next is synthesized. Runs on a bounded scheduler named {@code tts-festival}.
 */
public final class FestivalTextToSpeech implements TextToSpeech {

  private static final Logger log = LoggerFactory.getLogger(FestivalTextToSpeech.class);
  private static final String DONE = "SVA-DONE";
  private static final java.util.regex.Pattern SPEAKABLE =
      java.util.regex.Pattern.compile("[^\\p{L}\\p{N}\\s.,!?;:'\"-]");

  /**
   * @param executable     the {@code festival} binary
   * @param voices         voice per language, e.g. {@code ru -> msu_ru_nsh_clunits}
   * @param maxConcurrency warm processes (and threads) at most per voice
   */
  public record Settings(String executable, Voices voices, int maxConcurrency) {

    public static Settings defaults() {
      return new Settings("festival", new Voices(Map.of("ru", "msu_ru_nsh_clunits"), "msu_ru_nsh_clunits"),
          Math.max(1, Runtime.getRuntime().availableProcessors()));
    }
  }

  private final Settings settings;
  private final Scheduler scheduler;
  private final Map<String, Deque<Server>> idle = new HashMap<>();
  private boolean closed;

  public FestivalTextToSpeech(Settings settings) {
    this.settings = settings;
    this.scheduler = Schedulers.newBoundedElastic(settings.maxConcurrency(), 10_000, "tts-festival", 60, true);
  }

  /** True when Festival runs and has {@code voice} installed. */
  public static boolean isInstalled(String executable, String voice) {
    return Files.isDirectory(Path.of("/usr/share/festival/voices")) && canRun(executable)
        && voiceInstalled(voice);
  }

  private static boolean canRun(String executable) {
    try {
      Process p = new ProcessBuilder(executable, "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean voiceInstalled(String voice) {
    try (var dirs = Files.list(Path.of("/usr/share/festival/voices"))) {
      return dirs.anyMatch(d -> Files.isDirectory(d.resolve(voice)));
    } catch (IOException e) {
      return false;
    }
  }

  /** Starts one process per configured voice now, so the first call does not wait for a voice to load. */
  public Mono<Void> warmUp() {
    return Flux.fromIterable(settings.voices().byLanguage().values()).distinct()
        .flatMap(v -> Mono.fromCallable(() -> {
          release(acquire(v));
          return v;
        }).subscribeOn(scheduler), 2)
        .then();
  }

  @Override
  public String name() {
    return "festival";
  }

  @Override
  public Flux<PcmBlock> synthesize(SpeechRequest request) {
    String voice = settings.voices().resolve(request);
    List<String> sentences = Sentences.split(request.text());
    return Flux.fromIterable(sentences)
        .concatMap(sentence -> Mono.fromCallable(() -> speak(voice, sentence)).subscribeOn(scheduler));
  }

  private PcmBlock speak(String voice, String sentence) {
    Server server;
    try {
      server = acquire(voice);
    } catch (IOException e) {
      throw SpeechSynthesisException.localFailure("cannot start Festival (voice " + voice + ")", e);
    }
    boolean healthy = false;
    try {
      PcmBlock block = server.speak(sentence);
      healthy = true;
      return block;
    } catch (IOException e) {
      throw SpeechSynthesisException.localFailure("Festival (voice " + voice + ") failed", e);
    } finally {
      if (healthy) {
        release(server);
      } else {
        server.close();
      }
    }
  }

  private Server acquire(String voice) throws IOException {
    synchronized (this) {
      if (closed) {
        throw new SpeechSynthesisException("the Festival engine is closed");
      }
      Server s = idle.computeIfAbsent(voice, v -> new ArrayDeque<>()).pollFirst();
      if (s != null && s.process.isAlive()) {
        return s;
      }
    }
    return Server.start(settings.executable(), voice);
  }

  private void release(Server server) {
    synchronized (this) {
      if (!closed && server.process.isAlive()) {
        idle.computeIfAbsent(server.voice, v -> new ArrayDeque<>()).addLast(server);
        return;
      }
    }
    server.close();
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      idle.values().forEach(q -> q.forEach(Server::close));
      idle.clear();
    }
    scheduler.dispose();
  }

  /** One Festival process with one voice loaded, driven through its stdin; it writes each utterance to a file. */
  private static final class Server {
    private final Process process;
    private final String voice;
    private final OutputStream stdin;
    private final BufferedReader stdout;
    private final Path wave;

    private Server(Process process, String voice, Path wave) {
      this.process = process;
      this.voice = voice;
      this.stdin = process.getOutputStream();
      this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.wave = wave;
    }

    static Server start(String executable, String voice) throws IOException {
      if (!voice.matches("[A-Za-z0-9_]+")) {
        throw new SpeechSynthesisException("not a Festival voice name: " + voice);
      }
      long started = System.nanoTime();
      // Festival buffers stdout on a pipe; stdbuf makes each line arrive when written.
      Process p = new ProcessBuilder("stdbuf", "-oL", executable, "--pipe").redirectErrorStream(true).start();
      Server s = new Server(p, voice, Files.createTempFile("sva-festival-", ".wav"));
      s.command("(voice_" + voice + ")\n(Parameter.set 'Audio_Method 'none)\n(format t \"" + DONE + "\\n\")\n");
      s.awaitDone();
      log.info("Festival voice {} ready in {} ms", voice, (System.nanoTime() - started) / 1_000_000);
      return s;
    }

    PcmBlock speak(String sentence) throws IOException {
      // The Russian voice's letter-to-sound rules fail the whole utterance on symbols they do not know.
      String escaped = SPEAKABLE.matcher(sentence).replaceAll(" ").replace("\"", "\\\"");
      Files.deleteIfExists(wave);
      command("(utt.save.wave (utt.synth (Utterance Text \"" + escaped + "\")) \"" + wave + "\" 'riff)\n"
          + "(format t \"" + DONE + "\\n\")\n");
      String output = awaitDone();
      if (!Files.exists(wave)) {
        throw new SpeechSynthesisException("Festival (voice " + voice + ") wrote no audio: " + output.strip());
      }
      try (InputStream in = new BufferedInputStream(Files.newInputStream(wave))) {
        WavHeader header = WavHeader.read(in);
        byte[] data = in.readAllBytes();
        if (header.channels() != 1 || header.bitsPerSample() != 16) {
          throw new SpeechSynthesisException("Festival wrote " + header + ", expected 16-bit mono");
        }
        return new PcmBlock(header.sampleRate(), PcmBlock.littleEndian(data, 0, data.length & ~1));
      }
    }

    private void command(String scheme) throws IOException {
      stdin.write(scheme.getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    }

    private String awaitDone() throws IOException {
      StringBuilder output = new StringBuilder();
      String line;
      while ((line = stdout.readLine()) != null) {
        if (line.equals(DONE)) {
          if (output.indexOf("SIOD ERROR") >= 0 || output.indexOf("not a valid voice") >= 0) {
            throw new SpeechSynthesisException("Festival (voice " + voice + "): " + output.toString().strip());
          }
          return output.toString();
        }
        output.append(line).append('\n');
      }
      throw new SpeechSynthesisException("Festival (voice " + voice + ") exited: " + output.toString().strip());
    }

    void close() {
      process.destroyForcibly();
      try {
        Files.deleteIfExists(wave);
      } catch (IOException e) {
        log.debug("cannot delete {}: {}", wave, e.getMessage());
      }
    }
  }
}
