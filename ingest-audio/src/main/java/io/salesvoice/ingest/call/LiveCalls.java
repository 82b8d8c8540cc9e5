package io.salesvoice.ingest.call;

import io.salesvoice.ingest.playback.Playback;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The calls whose media flows through this instance right now, by callId: where the agent's audio is routed. */
public final class LiveCalls {

  /** A live call as the router sees it. */
  public record LiveCall(String callId, String provider, int replyPartition, Playback playback) {
  }

  private final ConcurrentMap<String, LiveCall> calls = new ConcurrentHashMap<>();

  /** Registers a call; false if the call is already live here (a second connection for one call). */
  public boolean register(LiveCall call) {
    return calls.putIfAbsent(call.callId(), call) == null;
  }

  public void remove(LiveCall call) {
    calls.remove(call.callId(), call);
  }

  public Optional<LiveCall> get(String callId) {
    return Optional.ofNullable(calls.get(callId));
  }

  public int size() {
    return calls.size();
  }
}
