package io.salesvoice.simulators.carrier;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The SIMULATED customer's side of one call, as plain logic driven by the clock: one 20 ms frame at a time it says the
 * persona's next line after each agent turn (the edge's {@code mark}, then a human pause), keeps the line silent while
 * listening, repeats a line once when the agent stays silent, stops expecting a turn the edge {@code clear}ed, and
 * finishes when the persona has nothing left to say. The WebSocket leg turns its frames into Twilio messages.
 */
public final class CalleeScript {

  /** One thing the customer says: its text (for the report) and its audio in 20 ms mu-law frames. */
  public record Utterance(String text, List<byte[]> frames) {
  }

  /**
   * @param humanPauseMs    the pause between the end of the agent's turn and the customer's next line
   * @param agentSilenceMs  how long the customer waits for the agent before repeating the line (or hanging up)
   * @param maxRepeats      how often one line is repeated to a silent agent (0 for a machine)
   */
  public record Timing(long humanPauseMs, long agentSilenceMs, int maxRepeats) {
  }

  private enum Phase { AWAITING_AGENT, PAUSING, SPEAKING, FINISHED }

  private final Deque<Utterance> lines;
  private final Utterance hello;
  private final Timing timing;
  private final SimulatedCall report;
  private final Deque<byte[]> speaking = new ArrayDeque<>();
  private final byte[] silence = TelephoneAudio.silenceFrame();

  private Phase phase;
  private Utterance current;
  private int repeats;
  private boolean helloSaid;
  private long awaitSince;
  private long pauseUntil;
  private long lastAgentAudio;
  private boolean agentTalking;
  private boolean agentAnsweredLine;
  private boolean agentEverSpoke;
  private String finishReason;

  /**
   * @param lines       the persona's lines, in order
   * @param hello       what the customer says when the agent does not greet ({@code null}: never)
   * @param speaksFirst say the first line at once (an answering machine's greeting) instead of waiting for the agent
   */
  public CalleeScript(List<Utterance> lines, Utterance hello, boolean speaksFirst, Timing timing, SimulatedCall report,
                      long nowMs) {
    this.lines = new ArrayDeque<>(lines);
    this.hello = hello;
    this.timing = timing;
    this.report = report;
    report.connected(nowMs);
    if (speaksFirst && !this.lines.isEmpty()) {
      say(this.lines.poll(), false, nowMs);
    } else {
      phase = Phase.AWAITING_AGENT;
      awaitSince = nowMs;
    }
  }

  /** The next 20 ms frame to send at {@code nowMs}; {@code null} once the customer has finished (then send stop). */
  public synchronized byte[] nextFrame(long nowMs) {
    advance(nowMs);
    if (phase == Phase.FINISHED) {
      return null;
    }
    if (phase == Phase.SPEAKING) {
      byte[] frame = speaking.poll();
      if (speaking.isEmpty()) {
        phase = Phase.AWAITING_AGENT;
        awaitSince = nowMs + TelephoneAudio.FRAME_MS;
        agentAnsweredLine = false;
        agentTalking = false;
        report.lineEnded(nowMs + TelephoneAudio.FRAME_MS);
      }
      return frame;
    }
    return silence;
  }

  private void advance(long nowMs) {
    switch (phase) {
      case PAUSING -> {
        if (nowMs >= pauseUntil) {
          Utterance next = lines.poll();
          if (next == null) {
            finish("customer-hung-up");
          } else {
            repeats = 0;
            say(next, false, nowMs);
          }
        }
      }
      case AWAITING_AGENT -> {
        if (agentTalking) {
          if (nowMs - lastAgentAudio > timing.agentSilenceMs()) {
            turnDone(nowMs);   // audio stopped without a mark: the turn is over all the same
          }
        } else if (nowMs - awaitSince > timing.agentSilenceMs()) {
          agentSilent(nowMs);
        }
      }
      default -> { }
    }
  }

  private void agentSilent(long nowMs) {
    if (current == null) {
      if (hello != null && !helloSaid && timing.maxRepeats() > 0) {
        helloSaid = true;
        say(hello, true, nowMs);
      } else {
        finish("agent-silent");
      }
    } else if (repeats < timing.maxRepeats()) {
      repeats++;
      say(current, true, nowMs);
    } else {
      finish("agent-silent");
    }
  }

  private void say(Utterance u, boolean repeat, long nowMs) {
    if (u != hello) {
      current = u;
    }
    speaking.clear();
    speaking.addAll(u.frames());
    if (speaking.isEmpty()) {
      speaking.add(silence);
    }
    phase = Phase.SPEAKING;
    report.lineStarted(u.text(), repeat, nowMs);
  }

  /** The edge played agent audio to the customer. */
  public synchronized void onAgentMedia(long nowMs) {
    if (!agentEverSpoke) {
      agentEverSpoke = true;
      report.greeting(nowMs);
    }
    lastAgentAudio = nowMs;
    if (phase == Phase.AWAITING_AGENT || phase == Phase.PAUSING) {
      if (!agentAnsweredLine) {
        agentAnsweredLine = true;
        report.agentReplied(nowMs);
      }
      agentTalking = true;
      phase = Phase.AWAITING_AGENT;
    }
  }

  /** The agent's turn was played to its end. */
  public synchronized void onMark(long nowMs) {
    onMark(nowMs, null);
  }

  /** The edge's mark after the last frame of an agent turn; {@code turnId} is the mark's name (the turn it closes). */
  public synchronized void onMark(long nowMs, String turnId) {
    report.agentTurnFinished(turnId);
    if (phase == Phase.AWAITING_AGENT && agentTalking) {
      turnDone(nowMs);
    } else {
      agentTalking = false;
    }
  }

  /** The edge stopped the agent's turn (the customer talked over it): the rest of that turn will not come. */
  public synchronized void onClear(long nowMs) {
    report.bargeIn();
    if (phase == Phase.AWAITING_AGENT && agentTalking) {
      turnDone(nowMs);
    } else {
      agentTalking = false;
    }
  }

  private void turnDone(long nowMs) {
    agentTalking = false;
    phase = Phase.PAUSING;
    pauseUntil = nowMs + timing.humanPauseMs();
  }

  private void finish(String reason) {
    phase = Phase.FINISHED;
    finishReason = reason;
  }

  public synchronized boolean finished() {
    return phase == Phase.FINISHED;
  }

  /** Why the customer finished: {@code customer-hung-up} (nothing left to say) or {@code agent-silent}. */
  public synchronized String finishReason() {
    return finishReason;
  }
}
