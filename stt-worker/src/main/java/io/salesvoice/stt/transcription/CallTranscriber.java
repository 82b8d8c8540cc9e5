package io.salesvoice.stt.transcription;

import io.salesvoice.schema.audio.AudioChunk;
import io.salesvoice.schema.audio.AudioCodec;
import io.salesvoice.schema.audio.Channel;
import io.salesvoice.schema.transcript.Transcript;
import io.salesvoice.stt.audio.Codec;
import io.salesvoice.stt.audio.Pcm;
import io.salesvoice.stt.engine.SpeechToText;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;

/**
 * Transcribes every call this worker instance holds: per call and channel (stereo replays transcribe both speakers),
 * idempotent on (callId, channel, seq), state dropped when the call ends or goes idle. Records of one call must be
 * handed in order, one at a time; different calls may be handled concurrently.
 */
public final class CallTranscriber {

  private final SpeechToText engine;
  private final TranscriptionSettings settings;
  private final Clock clock;
  private final TranscriptionListener listener;
  private final ConcurrentHashMap<String, CallState> calls = new ConcurrentHashMap<>();

  /**
   * How long an ended call waits for audio still on its way. Calls and audio travel on separate topics, so a call's
   * end can be read before its last chunks (a replay publishes a whole recording in a burst).
   */
  static final Duration END_GRACE = Duration.ofSeconds(2);

  /** Audio ending this close to the call's duration counts as all of it (rounding of media times). */
  static final long END_SLACK_MS = 5;

  /**
   * How long an ended call that was forgotten is remembered as ended: its audio arriving later still (behind a final
   * that took long) is dropped, not taken for a new call that would hold a decoder until the idle timeout.
   */
  static final Duration ENDED_MEMORY = Duration.ofMinutes(10);

  /** Calls forgotten after their CallEnded, and when. */
  private final ConcurrentHashMap<String, Instant> ended = new ConcurrentHashMap<>();

  public CallTranscriber(SpeechToText engine, TranscriptionSettings settings, Clock clock,
      TranscriptionListener listener) {
    this.engine = engine;
    this.settings = settings;
    this.clock = clock;
    this.listener = listener;
  }

  /** The engine's name, as written into transcripts. */
  public String engineName() {
    return engine.name();
  }

  /** The transcripts this chunk completes: usually none, sometimes a partial, at the end of a turn the final. */
  public Flux<Transcript> onAudio(AudioChunk chunk) {
    Codec codec = codecOf(chunk.getCodec());
    if (chunk.getSampleRate() < 4000 || chunk.getSampleRate() > 96000) {
      throw new IllegalArgumentException("unsupported sample rate " + chunk.getSampleRate());
    }
    short[] samples = Pcm.decode(codec, bytes(chunk.getData()));
    return withLiveCall(chunk.getCallId(), state -> {
      Flux<Transcript> out = state.channel(chunk.getChannel())
          .accept(chunk.getSeq(), samples, chunk.getSampleRate(), chunk.getMediaTimeMs());
      state.heard(chunk.getChannel(), chunk.getMediaTimeMs() + 1000L * samples.length / chunk.getSampleRate());
      return state.allAudioIn() ? Flux.concat(out, remove(state)) : out;
    }, () -> {
      listener.lateChunk();
      return Flux.empty();
    });
  }

  /** Remembers the call's language (from CallStarted) for the utterances that follow. */
  public void onCallStarted(String callId, String language) {
    withLiveCall(callId, state -> {
      if (language != null && !language.isBlank()) {
        state.language = language;
      }
      return null;
    }, () -> null);
  }

  /**
   * Remembers what the dialog expects the customer to answer next (the phrases of the call's new script state): the
   * customer's next utterances are recognized against them first. Empty clears them.
   */
  public void onExpectedPhrases(String callId, List<String> phrases) {
    withLiveCall(callId, state -> {
      state.expected = phrases == null ? List.of() : List.copyOf(phrases);
      return null;
    }, () -> null);
  }

  /**
   * The call ended after {@code durationMs} of media: once its audio is in (at once, usually), the finals of
   * utterances still open, then the call's state is gone. Audio still on its way is waited for until it reaches the
   * call's duration or {@link #END_GRACE} passes without any.
   */
  public Flux<Transcript> onCallEnded(String callId, long durationMs) {
    return withLiveCall(callId, state -> {
      state.endMediaMs = Math.max(0, durationMs);
      return state.allAudioIn() ? remove(state) : Flux.<Transcript>empty();
    }, Flux::empty);   // a redelivery
  }

  /**
   * Runs {@code action} on the call's state (created if new) holding its monitor, after marking it active; gives
   * {@code ifEnded} instead when the call ended and was forgotten — checked again under the monitor, since it may have
   * ended while this waited.
   */
  private <T> T withLiveCall(String callId, Function<CallState, T> action, Supplier<T> ifEnded) {
    while (true) {
      if (ended.containsKey(callId)) {
        return ifEnded.get();
      }
      CallState state = calls.computeIfAbsent(callId, id -> new CallState(id, clock.instant()));
      synchronized (state) {
        if (state.removed || endedMeanwhile(state)) {
          continue;   // evicted between lookup and lock: start afresh
        }
        state.lastActivity = clock.instant();
        return action.apply(state);
      }
    }
  }

  /**
   * Flushes and forgets the calls that sent nothing for the idle timeout, and the ended calls whose missing audio did
   * not come within {@link #END_GRACE}; their finals, if any. A call with a final still being decoded is neither: its
   * later audio waits for that final (one call's records are handled in order), so its silence says nothing.
   */
  public Flux<Transcript> evictIdle() {
    Instant now = clock.instant();
    Instant cutoff = now.minus(settings.idleTimeout());
    Instant endedCutoff = now.minus(END_GRACE);
    List<Flux<Transcript>> flushed = new ArrayList<>();
    for (CallState state : calls.values()) {
      synchronized (state) {
        Instant limit = state.endMediaMs >= 0 ? endedCutoff : cutoff;
        if (!state.removed && state.finalsInFlight == 0 && state.lastActivity.isBefore(limit)) {
          flushed.add(remove(state));
        }
      }
    }
    Instant forgetBefore = now.minus(ENDED_MEMORY);
    ended.values().removeIf(at -> at.isBefore(forgetBefore));
    return Flux.concat(flushed);
  }

  /** What the dialog last said it expects the customer to answer in {@code callId}; empty if nothing. */
  public List<String> expectedPhrases(String callId) {
    CallState state = calls.get(callId);
    return state == null ? List.of() : state.expected;
  }

  /** Calls whose state this instance holds. */
  public int activeCalls() {
    return calls.size();
  }

  /** Calls with an utterance in progress. */
  public int speakingCalls() {
    int n = 0;
    for (CallState s : calls.values()) {
      synchronized (s) {
        n += s.channels.values().stream().anyMatch(ChannelTranscriber::inUtterance) ? 1 : 0;
      }
    }
    return n;
  }

  /**
   * Whether {@code state} was created for a call that ended and was forgotten between the check of {@link #ended} and
   * its creation; if so it is discarded (the caller holds its monitor) and the next round finds the call ended.
   */
  private boolean endedMeanwhile(CallState state) {
    if (!ended.containsKey(state.callId)) {
      return false;
    }
    state.removed = true;
    calls.remove(state.callId, state);
    return true;
  }

  private Flux<Transcript> remove(CallState state) {
    state.removed = true;
    if (state.endMediaMs >= 0) {
      ended.put(state.callId, clock.instant());
    }
    calls.remove(state.callId, state);
    List<Flux<Transcript>> finals = new ArrayList<>();
    state.channels.values().forEach(c -> finals.add(c.flush()));
    return Flux.concat(finals);
  }

  private static Codec codecOf(AudioCodec codec) {
    return switch (codec) {
      case PCM16 -> Codec.PCM16;
      case MULAW -> Codec.MULAW;
      case ALAW -> Codec.ALAW;
      default -> throw new IllegalArgumentException("unsupported audio codec " + codec);
    };
  }

  private static byte[] bytes(ByteBuffer data) {
    ByteBuffer b = data.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  /** What is known of one call; guarded by its own monitor. */
  private final class CallState implements ChannelTranscriber.FinalsInFlight {
    final String callId;
    final Map<Channel, ChannelTranscriber> channels = new EnumMap<>(Channel.class);
    String language = settings.defaultLanguage();
    /** What the dialog expects the customer to say next; only the customer's channel is held to it. */
    volatile List<String> expected = List.of();
    Instant lastActivity;
    boolean removed;
    /** Media time the call ended at, from its CallEnded; -1 while it goes on. */
    long endMediaMs = -1;
    /** Media time each channel's audio reached so far. */
    final Map<Channel, Long> heardUntilMs = new EnumMap<>(Channel.class);
    /** Finals being awaited: the call's later records wait for them. */
    int finalsInFlight;

    CallState(String callId, Instant now) {
      this.callId = callId;
      this.lastActivity = now;
    }

    @Override
    public synchronized void started() {
      finalsInFlight++;
    }

    /** The grace of an ended call, and the idle timeout, count from here: the call's waiting audio comes now. */
    @Override
    public synchronized void finished() {
      finalsInFlight--;
      lastActivity = clock.instant();
    }

    void heard(Channel channel, long mediaEndMs) {
      heardUntilMs.merge(channel, mediaEndMs, Math::max);
    }

    /** The call ended and every channel's audio reached its end (a call without any audio waits for the grace). */
    boolean allAudioIn() {
      return endMediaMs >= 0 && !heardUntilMs.isEmpty()
          && heardUntilMs.values().stream().allMatch(t -> t >= endMediaMs - END_SLACK_MS);
    }

    ChannelTranscriber channel(Channel channel) {
      return channels.computeIfAbsent(channel, c -> new ChannelTranscriber(callId, c, engine, settings, clock,
          () -> language, c == Channel.AGENT ? List::of : () -> expected, listener, this));
    }
  }
}
