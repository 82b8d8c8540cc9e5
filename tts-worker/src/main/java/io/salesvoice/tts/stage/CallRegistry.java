package io.salesvoice.tts.stage;

import io.salesvoice.tts.audio.OutputFormat;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the worker must remember of each call it speaks for: the call's audio format and reply partition (from
 * {@code CallStarted}), the agent channel's next seq and media time, which turn chunks were already spoken (so a
 * redelivered turn is not spoken twice) and which turns were interrupted. Bounded: at most {@code maxCalls} calls,
 * and a call not touched for {@code idleTimeout} is forgotten.
 */
public final class CallRegistry {

  private final int maxCalls;
  private final Duration idleTimeout;
  private final Clock clock;
  private final LinkedHashMap<String, CallState> calls = new LinkedHashMap<>(256, 0.75f, true);

  public CallRegistry(int maxCalls, Duration idleTimeout, Clock clock) {
    if (maxCalls < 1) {
      throw new IllegalArgumentException("maxCalls must be at least 1");
    }
    this.maxCalls = maxCalls;
    this.idleTimeout = idleTimeout;
    this.clock = clock;
  }

  /** The state of a call, created on first mention (a turn may arrive before its call's {@code CallStarted}). */
  public CallState call(String callId) {
    long now = clock.millis();
    synchronized (calls) {
      evictIdle(now);
      CallState state = calls.computeIfAbsent(callId, CallState::new);
      state.touch(now);
      if (calls.size() > maxCalls) {
        Iterator<Map.Entry<String, CallState>> eldest = calls.entrySet().iterator();
        CallState evicted = eldest.next().getValue();
        eldest.remove();
        evicted.forget();
      }
      return state;
    }
  }

  public void started(String callId, OutputFormat format, int replyPartition) {
    started(callId, format, replyPartition, null);
  }

  /** The call's {@code CallStarted}: its format, the gateway's reply partition and its campaign (voice per campaign). */
  public void started(String callId, OutputFormat format, int replyPartition, String campaignId) {
    call(callId).started(format, replyPartition, campaignId);
  }

  /** The customer interrupted: the rest of {@code turnId} (the current turn when null) is not spoken. */
  public void bargeIn(String callId, String turnId) {
    call(callId).bargeIn(turnId);
  }

  public void ended(String callId) {
    call(callId).end();
  }

  public int size() {
    synchronized (calls) {
      return calls.size();
    }
  }

  private void evictIdle(long now) {
    Iterator<Map.Entry<String, CallState>> it = calls.entrySet().iterator();
    while (it.hasNext()) {
      CallState s = it.next().getValue();
      if (now - s.lastTouched() <= idleTimeout.toMillis()) {
        return;   // access order: the rest were touched later
      }
      it.remove();
      s.forget();
    }
  }
}
