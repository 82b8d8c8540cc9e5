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
 *
 * <p>With a grammar (JSGF, e.g. the bundled {@code sales-answers-en.gram}), an utterance is decoded against the
 * grammar first: the short answers a sales call expects come out right far more often than from the language model,
 * and faster. An utterance the grammar cannot match (out-of-grammar, {@code <unk>}) is decoded again by the language
 * model from the buffered audio, so free speech still gets a transcript, just later.
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
   * @param grammar a JSGF grammar tried before the language model ({@code classpath:...} or a file path); null for the
   *     language model alone
   */
  public record Settings(int decoders, int absoluteBeamWidth, int partialFrames, String acousticModel,
      String dictionary, String languageModel, String grammar) {

    /** The bundled grammar of the answers an English sales call expects. */
    public static final String SALES_ANSWERS_EN = "classpath:io/salesvoice/stt/grammar/sales-answers-en.gram";

    public Settings(int decoders, int absoluteBeamWidth, int partialFrames, String acousticModel, String dictionary,
                    String languageModel) {
      this(decoders, absoluteBeamWidth, partialFrames, acousticModel, dictionary, languageModel, null);
    }

    public Settings {
      if (decoders < 1) {
        throw new IllegalArgumentException("decoders must be at least 1");
      }
      acousticModel = acousticModel == null ? MODELS + "en-us" : acousticModel;
      dictionary = dictionary == null ? MODELS + "cmudict-en-us.dict" : dictionary;
      languageModel = languageModel == null ? MODELS + "en-us.lm.bin" : languageModel;
      grammar = grammar == null || grammar.isBlank() || grammar.equals("none") ? null : grammar;
    }

    public Settings withGrammar(String jsgf) {
      return new Settings(decoders, absoluteBeamWidth, partialFrames, acousticModel, dictionary, languageModel, jsgf);
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

  /** JSGF wants the file named after the grammar: the configured grammar is copied under this name. */
  private static final String GRAMMAR_NAME = "answers";
  private static final int GRAMMAR_BEAM = 20_000;

  private final Settings settings;
  private final Scheduler scheduler;
  private final Pool languageModel = new Pool(false);
  private final Pool grammar;
  private volatile boolean closed;
  private final java.util.Map<Integer, Path> configFiles = new java.util.HashMap<>();
  private final Path grammarDir;
  private final AtomicInteger fallbacks = new AtomicInteger();

  public Sphinx4SpeechToText(Settings settings) {
    this.settings = settings;
    this.scheduler = Schedulers.newBoundedElastic(settings.decoders(), 10_000, "sphinx4");
    this.grammarDir = settings.grammar() == null ? null : copyGrammar(settings.grammar());
    this.grammar = grammarDir == null ? null : new Pool(true);
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
    // with a grammar, the language model is still needed for what the grammar cannot match: loading it on the first
    // such utterance kept that caller waiting 10-20 s (measured in the demo), so it is loaded ahead too
    Mono<Void> model = Mono.fromRunnable(languageModel::warm).subscribeOn(scheduler).then();
    return grammar == null ? model : Mono.fromRunnable(grammar::warm).subscribeOn(scheduler).then(model);
  }

  /** Utterances the grammar could not match and the language model decoded again. */
  public int languageModelFallbacks() {
    return fallbacks.get();
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
    languageModel.idle.clear();
    if (grammar != null) {
      grammar.idle.clear();
    }
  }

  /** The grammar's words without the out-of-grammar marker; empty when nothing in the grammar was matched. */
  static String withoutUnknown(String hypothesis) {
    return hypothesis == null ? "" : hypothesis.replace("<unk>", " ").replaceAll("\\s+", " ").strip();
  }

  /** Recognizers of one kind, at most one per decoding thread, built on first need and kept. */
  private final class Pool {
    private final boolean withGrammar;
    private final LinkedBlockingQueue<Decoder> idle = new LinkedBlockingQueue<>();
    private final AtomicInteger created = new AtomicInteger();

    Pool(boolean withGrammar) {
      this.withGrammar = withGrammar;
    }

    void warm() {
      if (created.incrementAndGet() <= settings.decoders()) {
        idle.add(newDecoder(withGrammar));
      } else {
        created.decrementAndGet();
      }
    }

    Decoder take() throws InterruptedException {
      Decoder d = idle.poll();
      if (d != null) {
        return d;
      }
      if (created.incrementAndGet() <= settings.decoders()) {
        return newDecoder(withGrammar);
      }
      created.decrementAndGet();
      return idle.take();
    }

    void give(Decoder d) {
      idle.add(d);
    }

    /** A decoder that failed mid-utterance may hold a half-read stream: a new one is built next time. */
    void discard() {
      created.decrementAndGet();
    }

    /** Decodes {@code session}'s audio with one of this pool's recognizers. */
    String decode(Sphinx4Session session, AudioPipe audio) throws InterruptedException {
      Decoder d = take();
      boolean healthy = false;
      try {
        String text = d.decode(session, audio);
        healthy = true;
        return text;
      } finally {
        if (healthy) {
          give(d);
        } else {
          discard();
        }
      }
    }
  }

  private static Path copyGrammar(String location) {
    try {
      String text;
      if (location.startsWith("classpath:")) {
        String resource = "/" + location.substring("classpath:".length()).replaceFirst("^/", "");
        try (InputStream in = Sphinx4SpeechToText.class.getResourceAsStream(resource)) {
          if (in == null) {
            throw new IllegalArgumentException("grammar not found on the classpath: " + location);
          }
          text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      } else {
        text = Files.readString(Path.of(location));
      }
      if (!text.matches("(?s).*\\bgrammar\\s+[^;]+;.*")) {
        throw new IllegalArgumentException("not a JSGF grammar (no 'grammar <name>;' line): " + location);
      }
      Path dir = Files.createTempDirectory("sphinx4-grammar-");
      dir.toFile().deleteOnExit();
      Path file = dir.resolve(GRAMMAR_NAME + ".gram");
      Files.writeString(file, text.replaceFirst("\\bgrammar\\s+[^;]+;", "grammar " + GRAMMAR_NAME + ";"));
      file.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the grammar " + location, e);
    }
  }

  /**
   * The configuration with this engine's beam and partial interval written in: setting them through Sphinx4's
   * {@code Context} property API re-initializes front-end components already wired and breaks the pipeline.
   */
  private synchronized Path configFile(int absoluteBeamWidth) throws IOException {
    Path configFile = configFiles.get(absoluteBeamWidth);
    if (configFile == null) {
      String xml;
      try (InputStream in = Sphinx4SpeechToText.class.getResourceAsStream(CONFIG)) {
        xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      xml = xml.replace("${sva.absoluteBeamWidth}", Integer.toString(absoluteBeamWidth))
          .replace("${sva.partialFrames}", Integer.toString(settings.partialFrames()));
      Path f = Files.createTempFile("sphinx4-", ".config.xml");
      f.toFile().deleteOnExit();
      Files.writeString(f, xml);
      configFiles.put(absoluteBeamWidth, f);
      configFile = f;
    }
    return configFile;
  }

  private Decoder newDecoder(boolean withGrammar) {
    long started = System.nanoTime();
    try {
      Configuration c = new Configuration();
      c.setAcousticModelPath(settings.acousticModel());
      c.setDictionaryPath(settings.dictionary());
      c.setLanguageModelPath(settings.languageModel());
      if (withGrammar) {
        c.setGrammarPath(grammarDir.toUri().toString());
        c.setGrammarName(GRAMMAR_NAME);
        c.setUseGrammar(true);
      }
      c.setSampleRate(16_000);
      // A grammar's search space is small: its decoder keeps Sphinx4's full beam and is still faster than the model's.
      int beam = withGrammar ? GRAMMAR_BEAM : settings.absoluteBeamWidth();
      Context context = new Context(configFile(beam).toUri().toString(), c);
      Decoder d = new Decoder(context);
      log.info("sphinx4 {} recognizer loaded in {} ms (beam {})", withGrammar ? "grammar" : "language-model",
          (System.nanoTime() - started) / 1_000_000, beam);
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

    String decode(Sphinx4Session session, AudioPipe audio) {
      resetCepstralMean();
      listener = session;
      context.setSpeechSource(audio);
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
    /** The utterance's audio, kept while a grammar decodes it, for the language model if the grammar fails. */
    private final java.io.ByteArrayOutputStream kept = grammar == null ? null : new java.io.ByteArrayOutputStream();
    private volatile String partial;

    void decode() {
      try {
        if (grammar == null) {
          result.complete(new Hypothesis(languageModel.decode(this, pipe), 1f));
          return;
        }
        String matched = withoutUnknown(grammar.decode(this, pipe));
        if (!matched.isEmpty()) {
          result.complete(new Hypothesis(matched, 1f));
          return;
        }
        fallbacks.incrementAndGet();
        partial = null;
        AudioPipe again = new AudioPipe();
        again.write(keptSamples());
        again.close();
        result.complete(new Hypothesis(languageModel.decode(this, again), 1f));
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }

    private short[] keptSamples() {
      byte[] bytes;
      synchronized (kept) {
        bytes = kept.toByteArray();
      }
      short[] samples = new short[bytes.length / 2];
      java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
      return samples;
    }

    @Override
    public void accept(short[] samples) {
      pipe.write(samples);
      if (kept != null) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(samples.length * 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(samples);
        synchronized (kept) {
          kept.write(b.array(), 0, b.capacity());
        }
      }
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
