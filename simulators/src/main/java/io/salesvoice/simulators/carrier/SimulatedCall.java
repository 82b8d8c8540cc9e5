package io.salesvoice.simulators.carrier;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * What one SIMULATED call did, as {@code GET /simulator/calls} shows it: persona, state, the customer's turns with the
 * voice-to-voice latency the caller heard (end of the customer's line → first agent audio after it), and the outcome.
 * Written by the call's own flow, read by the endpoint: every method is synchronized.
 */
public final class SimulatedCall {

  /** Where the call stands. */
  public enum State { QUEUED, RINGING, CONNECTING, LISTENING, SPEAKING, ENDED }

  /** One line the customer said and how long the agent took to answer it. */
  public record Turn(int index, String line, boolean repeat, long startedAtMs, Long endedAtMs, Long agentAudioAtMs,
                     Long voiceToVoiceMs, boolean bargedIn) {
  }

  private final String callId;
  private final String campaignId;
  private final String leadId;
  private final String persona;
  private final String personaChoice;
  private final String language;
  private final Instant requestedAt = Instant.now();
  private final List<Turn> turns = new ArrayList<>();
  private volatile LongConsumer onVoiceToVoice = ms -> { };
  private State state = State.QUEUED;
  private String outcome;
  private String detail;
  private Instant endedAt;
  private Long greetingAfterMs;
  private Long connectedAtMs;
  private int agentTurns;
  private final List<String> heardTurns = new ArrayList<>();
  private int bargeIns;

  public SimulatedCall(String callId, String campaignId, String leadId, String persona, String personaChoice,
                       String language) {
    this.callId = callId;
    this.campaignId = campaignId;
    this.leadId = leadId;
    this.persona = persona;
    this.personaChoice = personaChoice;
    this.language = language;
  }

  public String callId() {
    return callId;
  }

  public String persona() {
    return persona;
  }

  /** Called with each turn's voice-to-voice latency in milliseconds as it is measured. */
  public void onVoiceToVoice(LongConsumer consumer) {
    this.onVoiceToVoice = consumer;
  }

  public synchronized void state(State state) {
    if (this.state != State.ENDED) {
      this.state = state;
    }
  }

  public synchronized State state() {
    return state;
  }

  public synchronized void connected(long atMs) {
    connectedAtMs = atMs;
    state(State.LISTENING);
  }

  /** The first agent audio of the call (the greeting) arrived. */
  public synchronized void greeting(long atMs) {
    if (greetingAfterMs == null && connectedAtMs != null) {
      greetingAfterMs = atMs - connectedAtMs;
    }
  }

  public synchronized void lineStarted(String line, boolean repeat, long atMs) {
    turns.add(new Turn(turns.size() + 1, line, repeat, atMs, null, null, null, false));
    state(State.SPEAKING);
  }

  public synchronized void lineEnded(long atMs) {
    replaceLast(t -> new Turn(t.index(), t.line(), t.repeat(), t.startedAtMs(), atMs, null, null, t.bargedIn()));
    state(State.LISTENING);
  }

  /** The first agent audio after the customer's line: the voice-to-voice latency of that turn. */
  public void agentReplied(long atMs) {
    Long latency = null;
    synchronized (this) {
      Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
      if (last != null && last.endedAtMs() != null && last.agentAudioAtMs() == null) {
        // the line "ends" when its last frame has played (20 ms after it was sent): audio arriving during that frame
        // is no wait at all, not a negative one (which a timer would silently drop)
        latency = Math.max(0, atMs - last.endedAtMs());
        long l = latency;
        replaceLast(t -> new Turn(t.index(), t.line(), t.repeat(), t.startedAtMs(), t.endedAtMs(), atMs, l,
            t.bargedIn()));
      }
    }
    if (latency != null) {
      onVoiceToVoice.accept(latency);
    }
  }

  public synchronized void agentTurnFinished() {
    agentTurnFinished(null);
  }

  /** The agent's turn {@code turnId} played to its end (the edge's mark): the fault tests count turns heard twice. */
  public synchronized void agentTurnFinished(String turnId) {
    agentTurns++;
    if (turnId != null && !turnId.isEmpty()) {
      heardTurns.add(turnId);
    }
  }

  /** The edge cleared the agent's audio: the customer talked over it. */
  public synchronized void bargeIn() {
    bargeIns++;
    if (!turns.isEmpty()) {
      replaceLast(t -> new Turn(t.index(), t.line(), t.repeat(), t.startedAtMs(), t.endedAtMs(), t.agentAudioAtMs(),
          t.voiceToVoiceMs(), true));
    }
  }

  /** The call is over; the first outcome wins. */
  public synchronized boolean end(String outcome, String detail) {
    if (state == State.ENDED) {
      return false;
    }
    this.outcome = outcome;
    this.detail = detail;
    this.endedAt = Instant.now();
    this.state = State.ENDED;
    return true;
  }

  public synchronized String outcome() {
    return outcome;
  }

  public synchronized List<Turn> turns() {
    return List.copyOf(turns);
  }

  /** The call as JSON-friendly values. */
  public synchronized View view() {
    return new View(SimulatedCarrier.CARRIER_TAG, callId, campaignId, leadId, persona, personaChoice, language, state.name(), requestedAt,
        endedAt, greetingAfterMs, agentTurns, bargeIns, List.copyOf(turns), outcome, detail, List.copyOf(heardTurns));
  }

  /** A snapshot of the call for {@code GET /simulator/calls}. */
  public record View(String carrier, String callId, String campaignId, String leadId, String persona, String personaChoice,
                     String language, String state, Instant requestedAt, Instant endedAt, Long greetingAfterMs,
                     int agentTurns, int bargeIns, List<Turn> turns, String outcome, String detail,
                     List<String> heardTurns) {
  }

  private void replaceLast(java.util.function.UnaryOperator<Turn> f) {
    if (!turns.isEmpty()) {
      turns.set(turns.size() - 1, f.apply(turns.get(turns.size() - 1)));
    }
  }
}
