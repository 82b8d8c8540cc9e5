package io.salesvoice.tts.stage;

import io.salesvoice.schema.audio.AfterTurn;
import io.salesvoice.schema.audio.AudioChunk;
import io.salesvoice.schema.audio.Channel;
import io.salesvoice.schema.dialog.DialogAction;
import io.salesvoice.schema.dialog.DialogTurn;
import io.salesvoice.tts.audio.AudioEncoder;
import io.salesvoice.tts.audio.OutputFormat;
import io.salesvoice.tts.audio.PcmBlock;
import io.salesvoice.tts.engine.SpeechRequest;
import io.salesvoice.tts.engine.TextToSpeech;
import io.salesvoice.tts.engine.Voices;
import io.salesvoice.tts.text.TextNormalizer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Speaks one chunk (sentence) of a dialog turn as the call's agent audio: normalises the text, synthesizes it (or takes
 * it from the cache), encodes it to the call's codec and rate in 20 ms frames and numbers the frames in the call's agent
 * channel. Drops redelivered chunks and chunks of interrupted or superseded turns, and stops mid-sentence on barge-in.
 * Plain logic: no Kafka, no Spring.
 */
public final class TurnSpeaker {

  /**
   * @param defaultFormat the format of a call whose {@code CallStarted} was not seen
   * @param callInfoWait  how long a turn waits for its call's {@code CallStarted} (which travels on another topic)
   * @param campaignVoices campaign id → language → voice of the configured engine, for turns that name no voice
   */
  public record Settings(OutputFormat defaultFormat, Duration callInfoWait,
                         Map<String, Map<String, String>> campaignVoices) {

    public Settings {
      campaignVoices = campaignVoices == null ? Map.of() : Map.copyOf(campaignVoices);
    }

    public Settings(OutputFormat defaultFormat, Duration callInfoWait) {
      this(defaultFormat, callInfoWait, Map.of());
    }
  }

  private final TextToSpeech engine;
  private final TextNormalizer normalizer;
  private final CallRegistry calls;
  private final AudioCache cache;
  private final TtsMetrics metrics;
  private final Settings settings;

  public TurnSpeaker(TextToSpeech engine, TextNormalizer normalizer, CallRegistry calls, AudioCache cache,
                     TtsMetrics metrics, Settings settings) {
    this.engine = engine;
    this.normalizer = normalizer;
    this.calls = calls;
    this.cache = cache;
    this.metrics = metrics;
    this.settings = settings;
  }

  public String engineName() {
    return engine.name();
  }

  /** The {@code sva.audio.out} partition of the call's gateway: the turn's, else the call's, else none known. */
  public Optional<Integer> replyPartition(DialogTurn turn) {
    if (turn.getReplyPartition() >= 0) {
      return Optional.of(turn.getReplyPartition());
    }
    int known = calls.call(turn.getCallId()).replyPartition();
    return known >= 0 ? Optional.of(known) : Optional.empty();
  }

  /** The turn chunk's audio frames in order; empty when the chunk is a duplicate, cancelled or its call ended. */
  public Flux<AudioChunk> speak(DialogTurn turn) {
    return Flux.defer(() -> {
      long started = System.nanoTime();
      CallState call = calls.call(turn.getCallId());
      CallState.Decision decision = call.begin(turn.getTurnId(), turn.getChunkIndex());
      if (!decision.speak()) {
        metrics.skipped(decision.skip());
        return Flux.empty();
      }
      CallState.Slot slot = decision.slot();
      return call.awaitFormat(settings.callInfoWait())
          .defaultIfEmpty(settings.defaultFormat())
          .flatMapMany(format -> speak(turn, call, slot, format, started));
    });
  }

  private Flux<AudioChunk> speak(DialogTurn turn, CallState call, CallState.Slot slot, OutputFormat format,
                                 long started) {
    String text = normalizer.normalize(turn.getText(), turn.getLanguage());
    if (text.isEmpty()) {
      // Nothing to say (e.g. a bare hang-up): the gateway still learns where the turn ends.
      if (!turn.getLastChunk()) {
        call.finished(slot, 0, 0);
        return Flux.empty();
      }
      return Flux.just(chunk(turn, format, slot.startSeq(), slot.startMediaMs(), new byte[0], 0, true))
          .doOnComplete(() -> call.finished(slot, 1, 0));
    }
    String voice = voice(turn, call);
    AudioCache.Key key = new AudioCache.Key(engine.name(), voice == null ? "" : voice, turn.getLanguage(), text,
        format);
    Optional<List<byte[]>> cached = cache.get(key);
    Flux<byte[]> frames = cached.map(Flux::fromIterable).orElseGet(() -> synthesize(turn, voice, text, format, key));
    AtomicLong emitted = new AtomicLong();
    return frames
        // one frame of look-ahead tells which frame is the turn's last
        .map(Optional::of)
        .concatWith(Mono.just(Optional.empty()))
        .buffer(2, 1)
        .filter(pair -> pair.get(0).isPresent())
        .takeUntilOther(call.cancellation(turn.getTurnId()))
        .map(pair -> {
          long i = emitted.getAndIncrement();
          if (i == 0) {
            metrics.firstAudio(engine.name(), cached.isPresent(), Duration.ofNanos(System.nanoTime() - started));
          }
          boolean last = turn.getLastChunk() && (pair.size() < 2 || pair.get(1).isEmpty());
          return chunk(turn, format, slot.startSeq() + i, slot.startMediaMs() + i * format.frameMs(),
              pair.get(0).get(), format.frameMs(), last);
        })
        .doOnComplete(() -> {
          long n = emitted.get();
          call.finished(slot, n, n * format.frameMs());
          metrics.frames(engine.name(), n);
          metrics.synthesis(engine.name(), Duration.ofNanos(System.nanoTime() - started));
        });
  }

  /** The turn's own voice, else its campaign's voice for the language, else null: the engine's voice per language. */
  private String voice(DialogTurn turn, CallState call) {
    if (turn.getVoice() != null && !turn.getVoice().isBlank()) {
      return turn.getVoice();
    }
    return call.campaignId()
        .map(settings.campaignVoices()::get)
        .map(byLanguage -> new Voices(byLanguage, null).resolve(SpeechRequest.of("", turn.getLanguage())))
        .orElse(null);
  }

  private Flux<byte[]> synthesize(DialogTurn turn, String voice, String text, OutputFormat format,
                                  AudioCache.Key key) {
    return Flux.defer(() -> {
      AudioEncoder[] encoder = new AudioEncoder[1];
      List<byte[]> produced = new ArrayList<>();
      return engine.synthesize(new SpeechRequest(text, turn.getLanguage(), voice))
          .concatMapIterable((PcmBlock block) -> {
            if (encoder[0] == null) {
              encoder[0] = format.newEncoder(block.sampleRate());
            } else if (encoder[0].inputRate() != block.sampleRate()) {
              throw new IllegalStateException(engine.name() + " changed its rate mid-utterance");
            }
            return encoder[0].encode(block.samples());
          })
          .concatWith(Flux.defer(() -> encoder[0] == null ? Flux.empty() : Flux.fromIterable(encoder[0].finish())))
          .doOnNext(produced::add)
          .doOnComplete(() -> cache.put(key, produced))
          .doOnError(e -> metrics.engineError(engine.name(), e));
    });
  }

  private static AudioChunk chunk(DialogTurn turn, OutputFormat format, long seq, long mediaTimeMs, byte[] data,
                                  int durationMs, boolean last) {
    return AudioChunk.newBuilder()
        .setCallId(turn.getCallId())
        .setSeq(seq)
        .setChannel(Channel.AGENT)
        .setCodec(format.codec())
        .setSampleRate(format.sampleRate())
        .setMediaTimeMs(mediaTimeMs)
        .setDurationMs(durationMs)
        .setData(ByteBuffer.wrap(data))
        .setTurnId(turn.getTurnId())
        .setLastOfTurn(last)
        // the turn's action is what follows its whole text, so only the turn's last audio carries it
        .setAfterTurn(last && turn.getAction() == DialogAction.HANG_UP ? AfterTurn.HANG_UP : AfterTurn.CONTINUE)
        .setProducedAt(Instant.now())
        .build();
  }
}
