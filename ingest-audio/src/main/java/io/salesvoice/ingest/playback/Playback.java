package io.salesvoice.ingest.playback;

import io.salesvoice.ingest.audio.AudioConverter;
import io.salesvoice.ingest.audio.AudioFormat;
import io.salesvoice.ingest.media.MediaProtocol;
import io.salesvoice.ingest.media.OutFrame;
import io.salesvoice.schema.audio.AfterTurn;
import io.salesvoice.schema.audio.AudioChunk;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * One call's agent audio on its way to the caller: chunks from {@code sva.audio.out} are converted to the provider's
 * format, cut into 20 ms frames and sent in real time by a {@link PlaybackPacer}; a barge-in drops what is queued,
 * tells the provider to drop what it buffered, and ignores the rest of that turn. A redelivered chunk (same turn and
 * seq) is not played twice. Thread-safe: chunks arrive on the consumer's thread, barge-ins on the socket's.
 */
public final class Playback {

  /** What the caller heard of the turn a barge-in cut off. */
  public record Interrupted(String turnId, long playedMs) {
  }

  /** Told of every frame sent, for metrics, and of the agent ending the call. */
  public interface Listener {
    void sent(int durationMs, Instant producedAt);

    /** The caller has heard the last of a turn that ends the call (its frames sent and played out): hang up now. */
    default void agentHungUp(String turnId) {
    }
  }

  /** Why a chunk was not queued. */
  public enum Outcome { QUEUED, DUPLICATE, CANCELLED_TURN, CLOSED, UNSUPPORTED_FORMAT }

  private static final int FRAME_MS = 20;
  private static final int REMEMBERED_TURNS = 64;

  private record Frame(byte[] data, int durationMs, String turnId, boolean lastOfTurn, boolean hangUp,
                       Instant producedAt) {
  }

  private final MediaProtocol protocol;
  private final Consumer<OutFrame> out;
  private final Scheduler scheduler;
  private final LongSupplier clockMs;
  private final Listener listener;
  private final PlaybackPacer pacer;
  private final Deque<Frame> queue = new ArrayDeque<>();
  private final Map<AudioFormat, AudioConverter> converters = new HashMap<>();
  private final Map<String, Long> lastSeqByTurn = lru();
  private final Map<String, Boolean> cancelledTurns = lru();
  private Disposable scheduled;
  private String currentTurn;
  private long currentTurnSentMs;
  private boolean closed;
  /** The frame that ends the call has been sent: nothing more is played, the hang-up waits for the caller to hear it. */
  private boolean hangingUp;

  public Playback(MediaProtocol protocol, Consumer<OutFrame> out, Scheduler scheduler, LongSupplier clockMs,
                  long leadMs, Listener listener) {
    this.protocol = protocol;
    this.out = out;
    this.scheduler = scheduler;
    this.clockMs = clockMs;
    this.listener = listener;
    this.pacer = new PlaybackPacer(leadMs);
  }

  public synchronized Outcome enqueue(AudioChunk chunk) {
    if (closed || hangingUp) {
      return Outcome.CLOSED;
    }
    String turn = chunk.getTurnId() == null ? "" : chunk.getTurnId();
    if (cancelledTurns.containsKey(turn)) {
      return Outcome.CANCELLED_TURN;
    }
    Long last = lastSeqByTurn.get(turn);
    if (last != null && chunk.getSeq() <= last) {
      return Outcome.DUPLICATE;
    }
    lastSeqByTurn.put(turn, chunk.getSeq());
    AudioFormat target = protocol.outboundFormat();
    byte[] data;
    try {
      AudioFormat source = new AudioFormat(chunk.getCodec(), chunk.getSampleRate());
      data = converters.computeIfAbsent(source, s -> new AudioConverter(s, target)).convert(bytes(chunk));
    } catch (RuntimeException e) {
      return Outcome.UNSUPPORTED_FORMAT;
    }
    boolean hangUp = chunk.getLastOfTurn() && chunk.getAfterTurn() == AfterTurn.HANG_UP;
    int frameBytes = target.bytesFor(FRAME_MS);
    for (int off = 0; off < data.length; off += frameBytes) {
      int len = Math.min(frameBytes, data.length - off);
      byte[] frame = new byte[len];
      System.arraycopy(data, off, frame, 0, len);
      boolean endsTurn = chunk.getLastOfTurn() && off + len >= data.length;
      queue.add(new Frame(frame, target.millisOf(len), turn, endsTurn, endsTurn && hangUp, chunk.getProducedAt()));
    }
    if (chunk.getLastOfTurn() && data.length == 0) {
      queue.add(new Frame(new byte[0], 0, turn, true, hangUp, chunk.getProducedAt()));
    }
    if (scheduled == null) {
      scheduled = scheduler.schedule(this::drain);
    }
    return Outcome.QUEUED;
  }

  /** Whether the caller hears (or is about to hear) the agent: barge-in detection runs only then. */
  public synchronized boolean isPlaying() {
    return !queue.isEmpty() || pacer.isPlaying(clockMs.getAsLong());
  }

  /** Stops the agent at once; empty when nothing was playing. */
  public synchronized Optional<Interrupted> bargeIn() {
    long now = clockMs.getAsLong();
    if (hangingUp || queue.isEmpty() && !pacer.isPlaying(now)) {
      // once the goodbye has gone out the call ends whatever the caller says over it
      return Optional.empty();
    }
    Optional<OutFrame> clear = protocol.clear();
    // what the provider still buffers is dropped by clear, or heard anyway when the protocol cannot clear
    long played = currentTurnSentMs - (clear.isPresent() ? pacer.bufferedMs(now) : 0);
    String turn = currentTurn != null ? currentTurn : queue.peek().turnId();
    cancelledTurns.put(turn, Boolean.TRUE);
    queue.forEach(f -> cancelledTurns.put(f.turnId(), Boolean.TRUE));
    queue.clear();
    cancelScheduled();
    pacer.reset();
    clear.ifPresent(out);
    currentTurn = null;
    currentTurnSentMs = 0;
    return Optional.of(new Interrupted(turn.isEmpty() ? null : turn, Math.max(0, played)));
  }

  public synchronized void close() {
    closed = true;
    queue.clear();
    cancelScheduled();
  }

  private synchronized void drain() {
    scheduled = null;
    while (!closed && !queue.isEmpty()) {
      long now = clockMs.getAsLong();
      long delay = pacer.delayMs(now);
      if (delay > 0) {
        scheduled = scheduler.schedule(this::drain, delay, TimeUnit.MILLISECONDS);
        return;
      }
      Frame f = queue.poll();
      if (!f.turnId().equals(currentTurn)) {
        currentTurn = f.turnId();
        currentTurnSentMs = 0;
      }
      if (f.durationMs() > 0) {
        out.accept(protocol.audio(f.data()));
        pacer.sent(now, f.durationMs());
        currentTurnSentMs += f.durationMs();
        listener.sent(f.durationMs(), f.producedAt());
      }
      if (f.lastOfTurn() && !f.turnId().isEmpty()) {
        protocol.mark(f.turnId()).ifPresent(out);
      }
      if (f.hangUp()) {
        // the provider plays what it buffered; hanging up before that would cut the agent's goodbye short
        hangingUp = true;
        queue.clear();
        String turn = f.turnId().isEmpty() ? null : f.turnId();
        scheduled = scheduler.schedule(() -> listener.agentHungUp(turn), pacer.bufferedMs(now), TimeUnit.MILLISECONDS);
        return;
      }
    }
  }

  private void cancelScheduled() {
    if (scheduled != null) {
      scheduled.dispose();
      scheduled = null;
    }
  }

  private static byte[] bytes(AudioChunk chunk) {
    var buffer = chunk.getData().duplicate();
    byte[] b = new byte[buffer.remaining()];
    buffer.get(b);
    return b;
  }

  private static <V> Map<String, V> lru() {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > REMEMBERED_TURNS;
      }
    };
  }
}
