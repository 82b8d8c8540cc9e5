package io.salesvoice.stt.engine;

import edu.cmu.sphinx.api.AbstractSpeechRecognizer;
import edu.cmu.sphinx.api.Configuration;
import edu.cmu.sphinx.api.Context;
import edu.cmu.sphinx.decoder.ResultListener;
import edu.cmu.sphinx.frontend.feature.LiveCMN;
import edu.cmu.sphinx.jsgf.JSGFGrammarException;
import edu.cmu.sphinx.jsgf.JSGFGrammarParseException;
import edu.cmu.sphinx.result.Result;
import edu.cmu.sphinx.util.props.PropertySheet;
import io.salesvoice.stt.grammar.PhraseGrammar;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * CMU Sphinx4, in process, with the US English model from Maven Central: the engine that needs nothing installed.
 * Each utterance is decoded as it streams in on the {@code sphinx4} threads ({@link DecodingThreads}), by one of a pool
 * of recognizers (a recognizer holds the language model's search structures, some hundred megabytes, so there are only
 * as many as decoding threads). The absolute beam is narrowed from Sphinx4's 20000 to keep real time on two cores.
 *
 * <p>With a grammar (JSGF, e.g. the bundled {@code sales-answers-en.gram}), an utterance is decoded against the
 * grammar first: the short answers a sales call expects come out right far more often than from the language model,
 * and faster. An utterance the grammar cannot match (out-of-grammar, {@code <unk>}) is decoded again by the language
 * model from the buffered audio, so free speech still gets a transcript, just later.
 *
 * <p>For a Russian call, when the dialog said which phrases it expects next ({@link #open(String, List)}), the utterance
 * is decoded against a grammar of just those phrases. English calls do not use them: the language model behind the
 * grammar hears what the examples do not cover, which a grammar of the examples alone forced onto the nearest
 * example. Russian phrases are said with the English acoustic model
 * through a rule-based Russian-to-ARPAbet dictionary ({@link GrammarDictionary}). There is no Russian language model:
 * a Russian utterance outside the expected phrases is not guessed at (the English model would only write English
 * words for it) and gets an empty hypothesis with confidence 0.
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
   * @param russianOutOfGrammar how readily a Russian utterance is declared outside the expected phrases (the
   *     probability of the out-of-grammar branch; higher rejects more free speech and more of the answers too)
   */
  public record Settings(int decoders, int absoluteBeamWidth, int partialFrames, String acousticModel,
      String dictionary, String languageModel, String grammar, double russianOutOfGrammar) {

    /** Measured on Festival's Russian voice, telephone band: see the README. */
    public static final double RUSSIAN_OUT_OF_GRAMMAR = 1e-25;

    public Settings(int decoders, int absoluteBeamWidth, int partialFrames, String acousticModel, String dictionary,
                    String languageModel, String grammar) {
      this(decoders, absoluteBeamWidth, partialFrames, acousticModel, dictionary, languageModel, grammar,
          RUSSIAN_OUT_OF_GRAMMAR);
    }

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
      if (!(russianOutOfGrammar > 0 && russianOutOfGrammar < 1)) {
        throw new IllegalArgumentException("russianOutOfGrammar must be a probability in (0, 1): "
            + russianOutOfGrammar);
      }
    }

    public Settings withRussianOutOfGrammar(double probability) {
      return new Settings(decoders, absoluteBeamWidth, partialFrames, acousticModel, dictionary, languageModel,
          grammar, probability);
    }

    public Settings withGrammar(String jsgf) {
      return new Settings(decoders, absoluteBeamWidth, partialFrames, acousticModel, dictionary, languageModel, jsgf,
          russianOutOfGrammar);
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
  /** The dither's seed, the same for every utterance (Sphinx4's own default seed is fixed too, but per recognizer). */
  private static final long DITHER_SEED = 12_345;
  /**
   * Frames (10 ms) the cepstral mean of a Russian grammar's utterance is first estimated from, instead of the
   * configuration's half second (sphinx4.config.xml). A grammar decodes several times faster than real time, so it can
   * wait for two seconds of the utterance — a short answer whole, like a batch mean: with half a second, mostly the
   * pre-roll and the first syllable, Russian answers on the telephone band got 4 of 10 right, with two seconds 7 of 10.
   * English keeps half a second: its out-of-grammar weights were measured with it.
   */
  static final int RUSSIAN_CMN_FRAMES = 200;
  /**
   * The probability of each phone inside the out-of-grammar branch of a Russian grammar (the branch's own probability
   * is {@link Settings#russianOutOfGrammar()}). Russian said through ARPAbet approximations scores far below English on
   * the English model: with the English weights (sphinx4.config.xml, 1e-10) most Russian answers went out of grammar.
   */
  private static final double RUSSIAN_OUT_OF_GRAMMAR_PHONE = 1e-10;
  /** Grammar files of Russian phrases are named with this prefix, so a decoder knows how to weigh them. */
  private static final String RUSSIAN_GRAMMAR = io.salesvoice.stt.grammar.RussianTokens.PREFIX;
  /**
   * Held while a grammar file is parsed. Sphinx4's JSGF parser is not safe to run on two threads at once: two grammar
   * recognizers loaded together at start-up failed with a JSGFGrammarParseException, and the pool then waited for ever
   * for the recognizer that was never built (a replay's transcripts stopped in the e2e QA test).
   */
  private static final Object JSGF_PARSER = new Object();
  /** Grammars of expected phrases kept built; a dialog has a few dozen states per script and language. */
  private static final int MAX_PHRASE_GRAMMARS = 512;

  private final Settings settings;
  private final Scheduler scheduler;
  private final Pool languageModel = new Pool(false);
  /** Recognizers over a grammar: the configured one, or the expected phrases of the utterance's call. */
  private final Pool grammar = new Pool(true);
  private final boolean staticGrammar;
  private volatile boolean closed;
  private final java.util.Map<Integer, Path> configFiles = new java.util.HashMap<>();
  private final Path grammarDir;
  private final ConcurrentHashMap<List<String>, Optional<PhraseGrammar>> phraseGrammars = new ConcurrentHashMap<>();
  private final AtomicInteger fallbacks = new AtomicInteger();
  private final AtomicInteger expectedMatches = new AtomicInteger();
  private final AtomicInteger unmatched = new AtomicInteger();

  public Sphinx4SpeechToText(Settings settings) {
    this.settings = settings;
    this.scheduler = DecodingThreads.fifo("sphinx4", settings.decoders());
    this.staticGrammar = settings.grammar() != null;
    // without a configured grammar, the recognizers of expected phrases start from one that matches nothing
    this.grammarDir = copyGrammar(staticGrammar ? settings.grammar() : null);
  }

  @Override
  public String name() {
    return "sphinx4";
  }

  @Override
  public int sampleRate() {
    return 16_000;
  }

  /**
   * Loads every recognizer of the language model ahead of the first calls (seconds each), on the engine's scheduler:
   * one built only when two customers first speak at once keeps one of them waiting that long for its final.
   */
  public Mono<Void> warmUp() {
    List<Mono<Void>> loads = new ArrayList<>();
    for (int i = 0; i < settings.decoders(); i++) {
      loads.add(Mono.fromRunnable(languageModel::warm).subscribeOn(scheduler).then());
    }
    Mono<Void> models = Mono.when(loads);
    if (!staticGrammar) {
      return models;
    }
    // with a grammar, the language model is still needed for what the grammar cannot match: loading it on the first
    // such utterance kept that caller waiting 10-20 s (measured in the demo), so it is loaded ahead too; and every
    // grammar recognizer, not one: the second was built when two customers first spoke at once (3-14 s in the
    // end-to-end campaign), and that customer's answer waited for it
    List<Mono<Void>> grammars = new ArrayList<>();
    for (int i = 0; i < settings.decoders(); i++) {
      grammars.add(Mono.fromRunnable(grammar::warm).subscribeOn(scheduler).then());
    }
    return Mono.when(grammars).then(models);
  }

  /** Utterances the grammar could not match and the language model decoded again. */
  public int languageModelFallbacks() {
    return fallbacks.get();
  }

  /** Utterances that matched one of the phrases the dialog expected. */
  public int expectedPhraseMatches() {
    return expectedMatches.get();
  }

  /** Russian utterances outside the expected phrases: no model can say what they were. */
  public int unrecognizedRussian() {
    return unmatched.get();
  }

  @Override
  public Session open(String language) {
    return open(language, List.of());
  }

  @Override
  public Session open(String language, List<String> expectedPhrases) {
    if (closed) {
      throw new IllegalStateException("sphinx4 engine is closed");
    }
    boolean russian = language != null && language.toLowerCase(Locale.ROOT).startsWith("ru");
    List<Pass> passes = new ArrayList<>();
    // the expected phrases alone only where no language model hears what they miss (class Javadoc)
    if (russian) {
      if (expectedPhrases != null && !expectedPhrases.isEmpty()) {
        passes.add(Pass.EXPECTED);
      }
    } else {
      if (staticGrammar) {
        passes.add(Pass.GRAMMAR);
      }
      passes.add(Pass.LANGUAGE_MODEL);
    }
    Sphinx4Session session = new Sphinx4Session(passes, expectedPhrases == null ? List.of() : List.copyOf(expectedPhrases));
    if (passes.isEmpty()) {
      unmatched.incrementAndGet();
      session.result.complete(new Hypothesis("", 0f));
    } else {
      scheduler.schedule(session::decode);
    }
    return session;
  }

  @Override
  public void close() {
    closed = true;
    scheduler.dispose();
    languageModel.idle.clear();
    grammar.idle.clear();
  }

  /** The ways an utterance is decoded, in this order, until one gives words. */
  private enum Pass { EXPECTED, GRAMMAR, LANGUAGE_MODEL }

  /** The grammar of these phrases, built once, in words the recognizer's dictionary can say; empty if none. */
  private Optional<PhraseGrammar> phraseGrammar(List<String> phrases, GrammarDictionary dictionary) {
    Optional<PhraseGrammar> known = phraseGrammars.get(phrases);
    return known != null ? known : buildPhraseGrammar(phrases, dictionary);
  }

  /** One thread builds a grammar at a time: two utterances with the same new phrases must not write one file twice. */
  private synchronized Optional<PhraseGrammar> buildPhraseGrammar(List<String> phrases, GrammarDictionary dictionary) {
    Optional<PhraseGrammar> known = phraseGrammars.get(phrases);
    if (known != null) {
      return known;
    }
    Optional<PhraseGrammar> built = PhraseGrammar.of(phrases, dictionary::contains);
    built.ifPresent(g -> {
      try {
        Path file = grammarDir.resolve(g.name() + ".gram");
        if (!Files.exists(file)) {
          Files.writeString(file, g.jsgf(), StandardCharsets.US_ASCII);
          file.toFile().deleteOnExit();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the grammar of the expected phrases", e);
      }
      if (!g.dropped().isEmpty()) {
        log.warn("sphinx4: {} expected phrases left out of the grammar: {}", g.dropped().size(),
            g.dropped().subList(0, Math.min(10, g.dropped().size())));
      }
    });
    if (built.isEmpty()) {
      log.warn("sphinx4: none of the expected phrases can be said: {}", phrases);
    }
    if (phraseGrammars.size() >= MAX_PHRASE_GRAMMARS) {
      phraseGrammars.clear();
    }
    phraseGrammars.put(phrases, built);
    return built;
  }

  /** The grammar's words without the out-of-grammar marker; empty when nothing in the grammar was matched. */
  static String withoutUnknown(String hypothesis) {
    return PhraseGrammar.words(hypothesis);
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
        idle.add(build());
      } else {
        created.decrementAndGet();
      }
    }

    /** A new recognizer counted in {@link #created}; a failed build is not counted, so it is tried again later. */
    private Decoder build() {
      try {
        return newDecoder(withGrammar);
      } catch (RuntimeException | Error e) {
        created.decrementAndGet();
        throw e;
      }
    }

    Decoder take() throws InterruptedException {
      Decoder d = idle.poll();
      if (d != null) {
        return d;
      }
      if (created.incrementAndGet() <= settings.decoders()) {
        return build();
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
      return decode(session, audio, d -> Optional.of(GRAMMAR_NAME)).orElseThrow();
    }

    /**
     * Decodes {@code session}'s audio with one of this pool's recognizers over the grammar {@code grammarOf} names for
     * it; empty, with the audio untouched, if it names none.
     */
    Optional<String> decode(Sphinx4Session session, AudioPipe audio, Function<Decoder, Optional<String>> grammarOf)
        throws InterruptedException {
      Decoder d = take();
      boolean healthy = false;
      try {
        Optional<String> name = withGrammar ? grammarOf.apply(d) : Optional.of(GRAMMAR_NAME);
        if (name.isEmpty()) {
          healthy = true;
          return Optional.empty();
        }
        if (withGrammar) {
          d.useGrammar(name.get(), name.get().startsWith(RUSSIAN_GRAMMAR), settings.russianOutOfGrammar());
        }
        String text = d.decode(session, audio);
        healthy = true;
        return Optional.of(text);
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
      if (location == null) {
        text = "#JSGF V1.0;\ngrammar " + GRAMMAR_NAME + ";\npublic <" + GRAMMAR_NAME + "> = yes;\n";
      } else if (location.startsWith("classpath:")) {
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
      Decoder d;
      if (withGrammar) {
        synchronized (JSGF_PARSER) {   // allocation parses the grammar
          d = new Decoder(context, true);
        }
      } else {
        d = new Decoder(context, false);
      }
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
    private final GrammarDictionary dictionary;
    private final SwitchableJsgfGrammar jsgf;
    private final GrammarLinguist linguist;
    private String grammarName = GRAMMAR_NAME;
    private final LiveCMN cmn;
    private final Field cmnSum;
    private final Field cmnInitialFrames;
    private final Field cmnInitialWindow;
    private final edu.cmu.sphinx.frontend.filter.Dither dither;
    private final Field ditherNoise;
    private final int configuredCmnWindow;

    Decoder(Context context, boolean withGrammar) throws IOException {
      super(context);
      recognizer.allocate();
      dictionary = context.getInstance(GrammarDictionary.class);
      jsgf = withGrammar ? context.getInstance(SwitchableJsgfGrammar.class) : null;
      linguist = withGrammar ? context.getInstance(GrammarLinguist.class) : null;
      cmn = context.getInstance(LiveCMN.class);
      try {
        // LiveCMN (5prealpha) has no reset: a null sum makes it estimate the mean again from the next frames
        cmnSum = LiveCMN.class.getDeclaredField("sum");
        cmnSum.setAccessible(true);
        cmnInitialFrames = LiveCMN.class.getDeclaredField("initialList");
        cmnInitialFrames.setAccessible(true);
        dither = context.getInstance(edu.cmu.sphinx.frontend.filter.Dither.class);
        ditherNoise = edu.cmu.sphinx.frontend.filter.Dither.class.getDeclaredField("r");
        ditherNoise.setAccessible(true);
        cmnInitialWindow = LiveCMN.class.getDeclaredField("initialCmnWindow");
        cmnInitialWindow.setAccessible(true);
        configuredCmnWindow = cmnInitialWindow.getInt(cmn);
      } catch (NoSuchFieldException | IllegalAccessException e) {
        throw new IllegalStateException("unexpected Sphinx4 LiveCMN or Dither version", e);
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

    /**
     * Switches to the grammar file {@code name}; the linguist compiles it when the next utterance starts. A grammar of
     * Russian words gets a weaker out-of-grammar branch, {@code russianOutOfGrammar}.
     */
    void useGrammar(String name, boolean russian, double russianOutOfGrammar) {
      if (name.equals(grammarName)) {
        return;
      }
      if (russian) {
        linguist.outOfGrammar(russianOutOfGrammar, RUSSIAN_OUT_OF_GRAMMAR_PHONE);
      } else {
        linguist.configuredOutOfGrammar();
      }
      try {
        synchronized (JSGF_PARSER) {
          jsgf.switchTo(name);
        }
        grammarName = name;
      } catch (IOException | JSGFGrammarParseException | JSGFGrammarException e) {
        throw new IllegalStateException("cannot load the grammar " + name, e);
      }
    }

    /**
     * Starts the front end afresh for an utterance: the cepstral mean is estimated again (LiveCMN has no reset: a null
     * sum makes it), and the dither noise starts from its seed again. Without the latter, the noise added to digital
     * silence depended on how much audio the recognizer had decoded before, and so did borderline results: the same
     * utterance decoded twice by one recognizer came out differently ("yes" then "yeah").
     */
    private void resetFrontEnd() {
      try {
        ditherNoise.set(dither, new java.util.Random(DITHER_SEED));
        boolean russian = jsgf != null && grammarName.startsWith(RUSSIAN_GRAMMAR);
        cmnInitialWindow.setInt(cmn, russian ? RUSSIAN_CMN_FRAMES : configuredCmnWindow);
        cmnSum.set(cmn, null);
        ((List<?>) cmnInitialFrames.get(cmn)).clear();
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }

    String decode(Sphinx4Session session, AudioPipe audio) {
      resetFrontEnd();
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
    private final List<Pass> passes;
    private final List<String> expected;
    /** The utterance's audio, kept while a grammar decodes it, for the next pass if the grammar fails. */
    private final java.io.ByteArrayOutputStream kept;
    private volatile String partial;
    private final long openedAt = System.nanoTime();
    private volatile long closedAt;
    /** Samples written, for the utterance's length in the log. */
    private final AtomicInteger samples = new AtomicInteger();

    Sphinx4Session(List<Pass> passes, List<String> expected) {
      this.passes = passes;
      this.expected = expected;
      this.kept = passes.size() > 1 ? new java.io.ByteArrayOutputStream() : null;
    }

    void decode() {
      long started = System.nanoTime();
      StringBuilder trace = log.isDebugEnabled() ? new StringBuilder() : null;
      log.debug("sphinx4 decoding starts after {} ms in the queue", (started - openedAt) / 1_000_000);
      try {
        boolean audioRead = false;
        for (Pass pass : passes) {
          long passStarted = System.nanoTime();
          AudioPipe audio = pipe;
          if (audioRead) {
            partial = null;
            audio = new AudioPipe();
            audio.write(keptSamples());
            audio.close();
          }
          if (pass == Pass.LANGUAGE_MODEL) {
            if (audioRead) {
              fallbacks.incrementAndGet();
            }
            String text = languageModel.decode(this, audio);
            traced(trace, pass, passStarted, text);
            logUtterance(trace, started);
            result.complete(new Hypothesis(text, 1f));
            return;
          }
          Optional<String> heard = pass == Pass.EXPECTED
              ? grammar.decode(this, audio, d -> phraseGrammar(expected, d.dictionary)
                  .map(PhraseGrammar::name))
              : grammar.decode(this, audio, d -> Optional.of(GRAMMAR_NAME));
          if (heard.isEmpty()) {
            continue;   // no phrase could be said: the audio is still unread
          }
          audioRead = true;
          String matched = PhraseGrammar.words(heard.get());
          traced(trace, pass, passStarted, matched);
          if (!matched.isEmpty()) {
            if (pass == Pass.EXPECTED) {
              expectedMatches.incrementAndGet();
            }
            logUtterance(trace, started);
            result.complete(new Hypothesis(matched, 1f));
            return;
          }
        }
        unmatched.incrementAndGet();
        logUtterance(trace, started);
        result.complete(new Hypothesis("", 0f));
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }

    private void traced(StringBuilder trace, Pass pass, long passStarted, String text) {
      if (trace != null) {
        trace.append(' ').append(pass.name().toLowerCase(Locale.ROOT)).append(' ')
            .append((System.nanoTime() - passStarted) / 1_000_000).append(" ms").append(text.isEmpty() ? " (none)" : "");
      }
    }

    /**
     * One line per utterance: how long it waited for a decoding thread, how long each pass took and how long after
     * the end of its audio the result was ready (a final is late when the thread was held by other utterances).
     */
    private void logUtterance(StringBuilder trace, long started) {
      if (trace == null) {
        return;
      }
      long now = System.nanoTime();
      long closed = closedAt;
      log.debug("sphinx4 utterance {} ms of audio: waited {} ms for a decoder,{}; result {} ms after the audio ended",
          samples.get() / 16, (started - openedAt) / 1_000_000, trace,
          closed == 0 ? -1 : (now - closed) / 1_000_000);
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
      this.samples.addAndGet(samples.length);
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
      String p = PhraseGrammar.words(partial);
      return p.isEmpty() ? Optional.empty() : Optional.of(p);
    }

    @Override
    public Mono<Hypothesis> finish() {
      if (closedAt == 0) {
        closedAt = System.nanoTime();
      }
      pipe.close();
      return Mono.fromFuture(result, true);
    }

    @Override
    public void cancel() {
      pipe.close();
    }
  }
}
