package io.salesvoice.stt.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vosk.LibVosk;
import org.vosk.LogLevel;
import org.vosk.Model;
import org.vosk.Recognizer;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Vosk (Kaldi) in-process with models the user supplies, one per language: the offline route to Russian free speech,
 * for which no model can be shipped or downloaded here (alphacephei publishes {@code vosk-model-small-ru}). Each
 * utterance gets its own recognizer on a shared model, fed as the audio arrives, with partial hypotheses.
 */
public final class VoskSpeechToText implements SpeechToText {

  private static final Logger log = LoggerFactory.getLogger(VoskSpeechToText.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final short[] END = new short[0];

  /**
   * @param models     model directory per language: a BCP 47 tag ({@code ru-RU}) or its language ({@code ru}); the
   *                   first one also serves languages without a model of their own
   * @param sampleRate rate of the audio handed to the recognizers (Vosk's models are trained at 16 kHz or 8 kHz)
   * @param decoders   utterances decoded at once (threads of the {@code vosk} scheduler)
   */
  public record Settings(Map<String, Path> models, int sampleRate, int decoders) {

    public Settings {
      if (models == null || models.isEmpty()) {
        throw new IllegalStateException("sva.stt.engine=vosk needs a model: set sva.stt.vosk.models.<language> to the "
            + "directory of an unpacked Vosk model (e.g. sva.stt.vosk.models.ru=/models/vosk-model-small-ru-0.22)");
      }
      models = new LinkedHashMap<>(models);
      if (decoders < 1) {
        throw new IllegalArgumentException("decoders must be at least 1");
      }
    }
  }

  private final Settings settings;
  private final Map<String, Model> models = new LinkedHashMap<>();
  private final Scheduler scheduler;

  /** Loads every model now: a missing or broken one is a start-up error naming it, not a failure on the first call. */
  public VoskSpeechToText(Settings settings) {
    this.settings = settings;
    try {
      LibVosk.setLogLevel(LogLevel.WARNINGS);
    } catch (UnsatisfiedLinkError e) {
      throw new IllegalStateException("the Vosk library cannot be loaded on this platform: " + e.getMessage(), e);
    }
    settings.models().forEach((language, dir) -> {
      if (!Files.isDirectory(dir)) {
        close();
        throw new IllegalStateException("Vosk model for " + language + " not found: " + dir + " is not a directory");
      }
      try {
        models.put(key(language), new Model(dir.toString()));
      } catch (IOException e) {
        close();
        throw new IllegalStateException("Vosk model for " + language + " in " + dir + " cannot be loaded (is it an "
            + "unpacked Vosk model?): " + e.getMessage(), e);
      }
    });
    this.scheduler = DecodingThreads.fifo("vosk", settings.decoders());
  }

  @Override
  public String name() {
    return "vosk";
  }

  @Override
  public int sampleRate() {
    return settings.sampleRate();
  }

  @Override
  public Session open(String language) {
    VoskSession session = new VoskSession(modelFor(language));
    scheduler.schedule(session::decode);
    return session;
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.dispose();
    }
    models.values().forEach(Model::close);
    models.clear();
  }

  private Model modelFor(String language) {
    String tag = key(language == null ? "" : language);
    Model m = models.get(tag);
    if (m == null && tag.contains("-")) {
      m = models.get(tag.substring(0, tag.indexOf('-')));
    }
    if (m == null) {
      log.warn("No Vosk model for {}: using the model of {}", language, models.keySet().iterator().next());
      m = models.values().iterator().next();
    }
    return m;
  }

  private static String key(String language) {
    return language.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The recognized words of one of Vosk's JSON results ({@code text}, or {@code partial} while decoding). */
  static String textOf(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      JsonNode text = node.has("text") ? node.get("text") : node.get("partial");
      return text == null ? "" : text.asText("").strip();
    } catch (IOException e) {
      throw new IllegalStateException("Vosk answered something that is not its JSON result: " + json, e);
    }
  }

  /** The mean of the words' confidences in a result with words; 1 when it has none (an empty or grammar result). */
  static float confidenceOf(String json) {
    try {
      JsonNode words = JSON.readTree(json).path("result");
      if (!words.isArray() || words.isEmpty()) {
        return 1f;
      }
      double sum = 0;
      for (JsonNode w : words) {
        sum += w.path("conf").asDouble(1);
      }
      return (float) Math.max(0, Math.min(1, sum / words.size()));
    } catch (IOException e) {
      throw new IllegalStateException("Vosk answered something that is not its JSON result: " + json, e);
    }
  }

  private final class VoskSession implements Session {
    private final Model model;
    private final LinkedBlockingQueue<short[]> audio = new LinkedBlockingQueue<>();
    private final CompletableFuture<Hypothesis> result = new CompletableFuture<>();
    private volatile String partial;
    private volatile boolean ended;
    private volatile boolean cancelled;

    VoskSession(Model model) {
      this.model = model;
    }

    void decode() {
      try (Recognizer recognizer = new Recognizer(model, settings.sampleRate())) {
        recognizer.setWords(true);
        // Vosk ends segments at its own pauses inside what the worker calls one utterance: keep them all
        List<String> segments = new ArrayList<>();
        List<Float> confidences = new ArrayList<>();
        for (short[] chunk = audio.take(); chunk != END; chunk = audio.take()) {
          if (cancelled) {
            continue;
          }
          if (recognizer.acceptWaveForm(chunk, chunk.length)) {
            String segment = recognizer.getResult();
            add(segments, confidences, segment);
            partial = String.join(" ", segments);
          } else {
            String p = textOf(recognizer.getPartialResult());
            partial = (String.join(" ", segments) + " " + p).strip();
          }
        }
        add(segments, confidences, recognizer.getFinalResult());
        float confidence = (float) confidences.stream().mapToDouble(Float::doubleValue).average().orElse(1);
        result.complete(new Hypothesis(String.join(" ", segments), confidence));
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }

    private void add(List<String> segments, List<Float> confidences, String json) {
      String text = textOf(json);
      if (!text.isEmpty()) {
        segments.add(text);
        confidences.add(confidenceOf(json));
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
      return p == null || p.isBlank() ? Optional.empty() : Optional.of(p);
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
