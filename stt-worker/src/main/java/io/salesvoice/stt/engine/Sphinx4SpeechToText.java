package io.salesvoice.stt.engine;

import edu.cmu.sphinx.api.AbstractSpeechRecognizer;
import edu.cmu.sphinx.api.Configuration;
import edu.cmu.sphinx.api.Context;
import edu.cmu.sphinx.decoder.ResultListener;
import edu.cmu.sphinx.frontend.feature.LiveCMN;
import edu.cmu.sphinx.result.Result;
import edu.cmu.sphinx.util.props.PropertySheet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * CMU Sphinx4, in process, with the US English model from Maven Central: the engine that needs nothing installed.
 * Each utterance is decoded as it streams in on a bounded {@code sphinx4} scheduler, by one of a pool of recognizers
 * (a recognizer holds the language model's search structures, some hundred megabytes, so there are only as many as
 * decoding threads). The absolute beam is narrowed from Sphinx4's 20000 to keep real time on two cores.
 */
public final class Sphinx4SpeechToText implements SpeechToText {

  private static final org.slf4j.Logger log = LoggerFactory.getLogger(Sphinx4SpeechToText.class);
  private static final String MODELS = "resource:/edu/cmu/sphinx/models/en-us/";
  private static final String CONFIG = "/io/salesvoice/stt/engine/sphinx4.config.xml";

  /**
   * How the recognizers are built.
   *
   * @param decoders recognizers, and threads of the scheduler that runs them
   * @param absoluteBeamWidth tokens kept per frame (Sphinx4 default 20000; ~3000 keeps real time on 2 cores)
   * @param partialFrames frames (10 ms each) decoded between partial hypotheses
   * @param acousticModel, dictionary, languageModel Sphinx4 resource paths; null for the bundled US English model
   */
  public record Settings(int decoders, int absoluteBeamWidth, int partialFrames, String acousticModel,
      String dictionary, String languageModel) {

    public Settings {
      if (decoders < 1) {
        throw new IllegalArgumentException("decoders must be at least 1");
      }
      acousticModel = acousticModel == null ? MODELS + "en-us" : acousticModel;
      dictionary = dictionary == null ? MODELS + "cmudict-en-us.dict" : dictionary;
      languageModel = languageModel == null ? MODELS + "en-us.lm.bin" : languageModel;
    }

    public static Settings defaults() {
      return new Settings(Math.max(1, Runtime.getRuntime().availableProcessors()), 3000, 30, null, null, null);
    }
  }

  static {
    // Sphinx4 logs every allocation at INFO through java.util.logging
    Logger.getLogger("edu.cmu.sphinx").setLevel(Level.WARNING);
    Logger.getLogger("default.config").setLevel(Level.WARNING);
  }

  private final Settings settings;
  private final Scheduler scheduler;
  private final LinkedBlockingQueue<Decoder> idle = new LinkedBlockingQueue<>();
  private final AtomicInteger created = new AtomicInteger();
  private volatile boolean closed;
  private Path configFile;

  public Sphinx4SpeechToText(Settings settings) {
    this.settings = settings;
    this.scheduler = Schedulers.newBoundedElastic(settings.decoders(), 10_000, "sphinx4");
  }

  @Override
  public String name() {
    return "sphinx4";
  }

  @Override
  public int sampleRate() {
    return 16_000;
  }

  /** Loads one recognizer ahead of the first call (a few seconds), on the engine's scheduler. */
  public Mono<Void> warmUp() {
    return Mono.fromRunnable(() -> idle.add(newDecoder())).subscribeOn(scheduler).then();
  }

  @Override
  public Session open(String language) {
    if (closed) {
      throw new IllegalStateException("sphinx4 engine is closed");
    }
    Sphinx4Session session = new Sphinx4Session();
    scheduler.schedule(session::decode);
    return session;
  }

  @Override
  public void close() {
    closed = true;
    scheduler.dispose();
    idle.clear();
  }

  private Decoder take() throws InterruptedException {
    Decoder d = idle.poll();
    if (d != null) {
      return d;
    }
    if (created.incrementAndGet() <= settings.decoders()) {
      return newDecoder();
    }
    created.decrementAndGet();
    return idle.take();
  }

  /**
   * The configuration with this engine's beam and partial interval written in: setting them through Sphinx4's
   * {@code Context} property API re-initializes front-end components already wired and breaks the pipeline.
   */
  private synchronized Path configFile() throws IOException {
    if (configFile == null) {
      String xml;
      try (InputStream in = Sphinx4SpeechToText.class.getResourceAsStream(CONFIG)) {
        xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      xml = xml.replace("${sva.absoluteBeamWidth}", Integer.toString(settings.absoluteBeamWidth()))
          .replace("${sva.partialFrames}", Integer.toString(settings.partialFrames()));
      Path f = Files.createTempFile("sphinx4-", ".config.xml");
      f.toFile().deleteOnExit();
      Files.writeString(f, xml);
      configFile = f;
    }
    return configFile;
  }

  private Decoder newDecoder() {
    long started = System.nanoTime();
    try {
      Configuration c = new Configuration();
      c.setAcousticModelPath(settings.acousticModel());
      c.setDictionaryPath(settings.dictionary());
      c.setLanguageModelPath(settings.languageModel());
      c.setSampleRate(16_000);
      Context context = new Context(configFile().toUri().toString(), c);
      Decoder d = new Decoder(context);
      log.info("sphinx4 recognizer loaded in {} ms (beam {})", (System.nanoTime() - started) / 1_000_000,
          settings.absoluteBeamWidth());
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the Sphinx4 model", e);
    }
  }

  /** A Sphinx4 recognizer kept allocated between utterances: allocation loads the models. */
  private static final class Decoder extends AbstractSpeechRecognizer {
    private volatile Sphinx4Session listener;
    private final LiveCMN cmn;
    private final Field cmnSum;
    private final Field cmnInitialFrames;

    Decoder(Context context) throws IOException {
      super(context);
      recognizer.allocate();
      cmn = context.getInstance(LiveCMN.class);
      try {
        // LiveCMN (5prealpha) has no reset: a null sum makes it estimate the mean again from the next frames
        cmnSum = LiveCMN.class.getDeclaredField("sum");
        cmnSum.setAccessible(true);
        cmnInitialFrames = LiveCMN.class.getDeclaredField("initialList");
        cmnInitialFrames.setAccessible(true);
      } catch (NoSuchFieldException e) {
        throw new IllegalStateException("unexpected Sphinx4 LiveCMN version", e);
      }
      recognizer.addResultListener(new ResultListener() {
        @Override
        public void newResult(Result result) {
          Sphinx4Session s = listener;
          if (s != null && !result.isFinal()) {
            s.partial = result.getBestResultNoFiller();
          }
        }

        @Override
        public void newProperties(PropertySheet ps) {
        }
      });
    }

    private void resetCepstralMean() {
      try {
        cmnSum.set(cmn, null);
        ((List<?>) cmnInitialFrames.get(cmn)).clear();
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }

    String decode(Sphinx4Session session) {
      resetCepstralMean();
      listener = session;
      context.setSpeechSource(session.pipe);
      try {
        // Without the front end's speech marker, one recognize() decodes the whole stream, to its end of file.
        Result r = recognizer.recognize();
        return r == null ? "" : r.getBestResultNoFiller();
      } finally {
        listener = null;
      }
    }
  }

  private final class Sphinx4Session implements Session {
    private final AudioPipe pipe = new AudioPipe();
    private final CompletableFuture<Hypothesis> result = new CompletableFuture<>();
    private volatile String partial;

    void decode() {
      Decoder d = null;
      try {
        d = take();
        result.complete(new Hypothesis(d.decode(this), 1f));
      } catch (Throwable e) {
        result.completeExceptionally(e);
        d = null;   // a decoder that failed mid-utterance may hold a half-read stream: build a new one next time
        created.decrementAndGet();
      } finally {
        if (d != null) {
          idle.add(d);
        }
      }
    }

    @Override
    public void accept(short[] samples) {
      pipe.write(samples);
    }

    @Override
    public Optional<String> partial() {
      String p = partial;
      return p == null || p.isBlank() ? Optional.empty() : Optional.of(p.strip());
    }

    @Override
    public Mono<Hypothesis> finish() {
      pipe.close();
      return Mono.fromFuture(result, true);
    }

    @Override
    public void cancel() {
      pipe.close();
    }
  }
}
