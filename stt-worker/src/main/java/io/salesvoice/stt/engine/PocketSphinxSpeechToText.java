package io.salesvoice.stt.engine;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * PocketSphinx in-process, through JNA and Debian's {@code libpocketsphinx.so.3}: several times faster than Sphinx4,
 * for replays of 16 kHz recordings (telephone-band audio upsampled to 16 kHz is recognized badly). A pool of decoders,
 * each loaded once (about 0.4 s) and kept; an utterance streams into one of them as it arrives, with partial
 * hypotheses along the way.
 */
public final class PocketSphinxSpeechToText implements SpeechToText {

  /**
   * Where the library and its model are.
   *
   * @param library    the shared library, as {@code dlopen} finds it ({@code libpocketsphinx.so.3}) or a path
   * @param modelDir   directory with {@code en-us/}, {@code en-us.lm.bin}, {@code cmudict-en-us.dict}
   * @param decoders   utterances decoded at once (decoders loaded, threads of the {@code pocketsphinx} scheduler)
   */
  public record Settings(String library, Path modelDir, int decoders) {

    public Settings {
      if (decoders < 1) {
        throw new IllegalArgumentException("decoders must be at least 1");
      }
    }

    public static Settings defaults() {
      return new Settings("libpocketsphinx.so.3", Path.of("/usr/share/pocketsphinx/model/en-us"),
          Math.max(1, Runtime.getRuntime().availableProcessors()));
    }
  }

  /** The part of PocketSphinx 5prealpha's C API this engine calls. Decoders are not thread-safe: one user each. */
  interface Native5 extends Library {
    Pointer ps_args();

    Pointer ps_init(Pointer config);

    int ps_start_utt(Pointer decoder);

    int ps_process_raw(Pointer decoder, short[] data, long samples, int noSearch, int fullUtterance);

    int ps_end_utt(Pointer decoder);

    String ps_get_hyp(Pointer decoder, IntByReference bestScore);

    int ps_free(Pointer decoder);
  }

  /** The sphinxbase functions that build a decoder's configuration. */
  interface SphinxBase extends Library {
    Pointer cmd_ln_init(Pointer inout, Pointer definitions, int strict, Object... nameValuePairsThenNull);

    int cmd_ln_free_r(Pointer config);
  }

  /** Hypotheses taken during an utterance, at most every this many samples (0.2 s at 16 kHz). */
  private static final int PARTIAL_EVERY_SAMPLES = 3_200;
  private static final short[] END = new short[0];

  private final Settings settings;
  private final Native5 ps;
  private final SphinxBase base;
  private final Scheduler scheduler;
  private final LinkedBlockingQueue<Decoder> idle = new LinkedBlockingQueue<>();
  private final AtomicInteger created = new AtomicInteger();
  private final List<Decoder> all = new ArrayList<>();
  private volatile boolean closed;

  /** Fails at start-up, with what to install, if the library or its model is missing. */
  public PocketSphinxSpeechToText(Settings settings) {
    for (String file : List.of("en-us", "en-us.lm.bin", "cmudict-en-us.dict")) {
      if (!Files.exists(settings.modelDir().resolve(file))) {
        throw new IllegalStateException("no PocketSphinx model in " + settings.modelDir() + " (" + file
            + " is missing): apt-get install pocketsphinx-en-us, or choose another engine with sva.stt.engine");
      }
    }
    try {
      this.ps = Native.load(settings.library(), Native5.class);
      this.base = Native.load(sphinxBaseOf(settings.library()), SphinxBase.class);
    } catch (UnsatisfiedLinkError e) {
      throw new IllegalStateException("PocketSphinx library " + settings.library() + " cannot be loaded ("
          + e.getMessage() + "): apt-get install pocketsphinx, or choose another engine with sva.stt.engine", e);
    }
    this.settings = settings;
    this.scheduler = DecodingThreads.fifo("pocketsphinx", settings.decoders());
  }

  /** libsphinxbase sits beside libpocketsphinx, with the same naming. */
  private static String sphinxBaseOf(String library) {
    return library.replace("pocketsphinx", "sphinxbase");
  }

  @Override
  public String name() {
    return "pocketsphinx";
  }

  @Override
  public int sampleRate() {
    return 16_000;
  }

  /** Loads every decoder ahead of the first call, on the engine's scheduler. */
  public Mono<Void> warmUp() {
    List<Mono<Void>> loads = new ArrayList<>();
    for (int i = 0; i < settings.decoders(); i++) {
      loads.add(Mono.<Void>fromRunnable(() -> {
        if (created.incrementAndGet() <= settings.decoders()) {
          idle.add(newDecoder());
        } else {
          created.decrementAndGet();
        }
      }).subscribeOn(scheduler));
    }
    return Mono.when(loads);
  }

  @Override
  public Session open(String language) {
    if (closed) {
      throw new IllegalStateException("pocketsphinx engine is closed");
    }
    NativeSession session = new NativeSession();
    scheduler.schedule(session::decode);
    return session;
  }

  @Override
  public void close() {
    closed = true;
    scheduler.dispose();
    synchronized (all) {
      for (Decoder d : all) {
        d.free();
      }
      all.clear();
    }
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

  private Decoder newDecoder() {
    Path m = settings.modelDir();
    Pointer config = base.cmd_ln_init(null, ps.ps_args(), 1,
        "-hmm", m.resolve("en-us").toString(),
        "-lm", m.resolve("en-us.lm.bin").toString(),
        "-dict", m.resolve("cmudict-en-us.dict").toString(),
        "-samprate", "16000",
        "-logfn", "/dev/null",
        null);
    if (config == null) {
      throw new IllegalStateException("PocketSphinx refused its configuration (model in " + m + ")");
    }
    Pointer decoder = ps.ps_init(config);
    if (decoder == null) {
      base.cmd_ln_free_r(config);
      throw new IllegalStateException("PocketSphinx could not load its model from " + m);
    }
    Decoder d = new Decoder(decoder, config);
    synchronized (all) {
      all.add(d);
    }
    return d;
  }

  /** One loaded decoder and the configuration it was built from. */
  private final class Decoder {
    private final Pointer decoder;
    private final Pointer config;
    private boolean freed;

    Decoder(Pointer decoder, Pointer config) {
      this.decoder = decoder;
      this.config = config;
    }

    synchronized void free() {
      if (!freed) {
        freed = true;
        ps.ps_free(decoder);
        base.cmd_ln_free_r(config);
      }
    }
  }

  private final class NativeSession implements Session {
    private final LinkedBlockingQueue<short[]> audio = new LinkedBlockingQueue<>();
    private final CompletableFuture<Hypothesis> result = new CompletableFuture<>();
    private volatile String partial;
    private volatile boolean ended;
    private volatile boolean cancelled;

    void decode() {
      Decoder d = null;
      boolean healthy = false;
      try {
        d = take();
        if (ps.ps_start_utt(d.decoder) < 0) {
          throw new IllegalStateException("PocketSphinx could not start an utterance");
        }
        int sinceHypothesis = 0;
        for (short[] chunk = audio.take(); chunk != END; chunk = audio.take()) {
          if (cancelled) {
            continue;   // drain to the end marker; the utterance is ended below
          }
          if (ps.ps_process_raw(d.decoder, chunk, chunk.length, 0, 0) < 0) {
            throw new IllegalStateException("PocketSphinx could not decode the audio");
          }
          sinceHypothesis += chunk.length;
          if (sinceHypothesis >= PARTIAL_EVERY_SAMPLES) {
            sinceHypothesis = 0;
            partial = ps.ps_get_hyp(d.decoder, null);
          }
        }
        ps.ps_end_utt(d.decoder);
        String text = ps.ps_get_hyp(d.decoder, null);
        healthy = true;
        // ps_get_prob is the posterior of the whole word sequence, near 0 for any sentence: no usable confidence
        result.complete(new Hypothesis(text, 1f));
      } catch (Throwable e) {
        result.completeExceptionally(e);
      } finally {
        if (d != null) {
          if (healthy || closed) {
            if (!closed) {
              idle.add(d);
            }
          } else {
            // a decoder that failed mid-utterance is not trusted again; a new one is loaded on demand
            created.decrementAndGet();
            synchronized (all) {
              all.remove(d);
            }
            d.free();
          }
        }
      }
    }

    @Override
    public void accept(short[] samples) {
      if (!ended && samples.length > 0) {
        audio.add(samples.clone());
      }
    }

    @Override
    public Optional<String> partial() {
      String p = partial;
      return p == null || p.isBlank() ? Optional.empty() : Optional.of(p.strip());
    }

    @Override
    public Mono<Hypothesis> finish() {
      end();
      return Mono.fromFuture(result, true);
    }

    @Override
    public void cancel() {
      cancelled = true;
      end();
    }

    private void end() {
      if (!ended) {
        ended = true;
        audio.add(END);
      }
    }
  }
}
