package io.salesvoice.tts.stage;

import io.salesvoice.tts.audio.OutputFormat;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One call as the TTS worker sees it. Turn chunks of one call are spoken one at a time (the stage keeps per-call order),
 * while barge-ins arrive from another consumer at any moment: every method is synchronized.
 */
public final class CallState {

  /** Turn chunks remembered per call for de-duplication; a call has far fewer sentences in flight. */
  static final int REMEMBERED_CHUNKS = 512;
  static final int REMEMBERED_CANCELLED_TURNS = 64;

  /** Why a turn chunk is not spoken. */
  public enum Skip { DUPLICATE, CANCELLED, CALL_ENDED }

  /** Where a turn chunk's audio starts in the call's agent channel; reused when the same chunk is retried. */
  public static final class Slot {
    private final String turnId;
    private final int chunkIndex;
    private final long startSeq;
    private final long startMediaMs;
    private boolean done;

    Slot(String turnId, int chunkIndex, long startSeq, long startMediaMs) {
      this.turnId = turnId;
      this.chunkIndex = chunkIndex;
      this.startSeq = startSeq;
      this.startMediaMs = startMediaMs;
    }

    public String turnId() {
      return turnId;
    }

    public int chunkIndex() {
      return chunkIndex;
    }

    public long startSeq() {
      return startSeq;
    }

    public long startMediaMs() {
      return startMediaMs;
    }
  }

  /** Either a slot to speak into or the reason not to speak. */
  public record Decision(Slot slot, Skip skip) {
    public boolean speak() {
      return slot != null;
    }
  }

  private final String callId;
  private final Sinks.One<OutputFormat> startedSignal = Sinks.one();
  private final Map<String, Slot> chunks = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Slot> eldest) {
      return size() > REMEMBERED_CHUNKS;
    }
  };
  private final LinkedHashSet<String> cancelledTurns = new LinkedHashSet<>();
  private final Map<String, Sinks.Empty<Void>> cancellations = new HashMap<>();
  private OutputFormat format;
  private int replyPartition = -1;
  private String campaignId;
  private boolean ended;
  private String currentTurn;
  private long nextSeq;
  private long nextMediaMs;
  private volatile long lastTouched;
  /** A turn already waited in vain for CallStarted: later turns take the default at once instead of waiting again. */
  private volatile boolean startMissed;

  CallState(String callId) {
    this.callId = callId;
  }

  public String callId() {
    return callId;
  }

  synchronized void started(OutputFormat format, int replyPartition, String campaignId) {
    this.format = format;
    this.replyPartition = replyPartition;
    this.campaignId = campaignId;
    startedSignal.tryEmitValue(format);
  }

  public synchronized Optional<OutputFormat> format() {
    return Optional.ofNullable(format);
  }

  public synchronized Optional<String> campaignId() {
    return Optional.ofNullable(campaignId);
  }

  public synchronized int replyPartition() {
    return replyPartition;
  }

  /** The call's format once its {@code CallStarted} is seen; empty if it was not seen within the wait. */
  public Mono<OutputFormat> awaitFormat(java.time.Duration wait) {
    Optional<OutputFormat> known = format();
    if (known.isPresent()) {
      return Mono.just(known.get());
    }
    if (startMissed) {
      return Mono.empty();
    }
    return startedSignal.asMono().timeout(wait, Mono.fromRunnable(() -> startMissed = true));
  }

  /**
   * Decides whether a turn chunk is spoken. A chunk already spoken is a duplicate; a chunk of an interrupted or
   * superseded turn is cancelled; a chunk of a newer turn supersedes the current one (its unsent rest is dropped).
   * A chunk that started before and did not finish (a retry) gets its old slot back, so its frames keep their seqs.
   */
  public synchronized Decision begin(String turnId, int chunkIndex) {
    if (ended) {
      return new Decision(null, Skip.CALL_ENDED);
    }
    String key = turnId + '#' + chunkIndex;
    Slot existing = chunks.get(key);
    if (existing != null && existing.done) {
      return new Decision(null, Skip.DUPLICATE);
    }
    if (cancelledTurns.contains(turnId)) {
      return new Decision(null, Skip.CANCELLED);
    }
    if (currentTurn != null && !currentTurn.equals(turnId)) {
      cancel(currentTurn);
    }
    currentTurn = turnId;
    if (existing != null) {
      nextSeq = existing.startSeq;
      nextMediaMs = existing.startMediaMs;
      return new Decision(existing, null);
    }
    Slot slot = new Slot(turnId, chunkIndex, nextSeq, nextMediaMs);
    chunks.put(key, slot);
    return new Decision(slot, null);
  }

  /** The chunk's audio was produced, all of it or up to a barge-in: a redelivery of it is a duplicate. */
  public synchronized void finished(Slot slot, long frames, long mediaMs) {
    slot.done = true;
    cancellations.remove(slot.turnId);
    nextSeq = slot.startSeq + frames;
    nextMediaMs = slot.startMediaMs + mediaMs;
  }

  /** Completes when {@code turnId} is interrupted, superseded or the call ends. */
  public synchronized Mono<Void> cancellation(String turnId) {
    if (ended || cancelledTurns.contains(turnId)) {
      return Mono.empty();
    }
    return cancellations.computeIfAbsent(turnId, t -> Sinks.empty()).asMono();
  }

  public synchronized boolean isCancelled(String turnId) {
    return ended || cancelledTurns.contains(turnId);
  }

  synchronized void bargeIn(String turnId) {
    String target = turnId != null ? turnId : currentTurn;
    if (target != null) {
      cancel(target);
    }
  }

  synchronized void end() {
    ended = true;
    cancellations.values().forEach(Sinks.Empty::tryEmitEmpty);
    cancellations.clear();
  }

  /** Evicted from the registry: anything still speaking for this call stops. */
  synchronized void forget() {
    end();
  }

  private void cancel(String turnId) {
    cancelledTurns.add(turnId);
    if (cancelledTurns.size() > REMEMBERED_CANCELLED_TURNS) {
      cancelledTurns.remove(cancelledTurns.iterator().next());
    }
    Sinks.Empty<Void> signal = cancellations.remove(turnId);
    if (signal != null) {
      signal.tryEmitEmpty();
    }
  }

  void touch(long now) {
    lastTouched = now;
  }

  long lastTouched() {
    return lastTouched;
  }
}
