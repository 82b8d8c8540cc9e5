package io.salesvoice.simulators.carrier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The customer's side of a call on virtual time: one frame per 20 ms, agent events injected between frames. */
class CalleeScriptTest {

  private static final CalleeScript.Timing TIMING = new CalleeScript.Timing(300, 2000, 1);

  private final SimulatedCall report = new SimulatedCall("call-1", "camp", "lead-1", "interested", "mix", "en-US");
  private final List<Long> latencies = new ArrayList<>();
  private long now = 1_000_000;
  private CalleeScript script;

  private void start(List<CalleeScript.Utterance> lines, boolean speaksFirst, CalleeScript.Timing timing) {
    report.onVoiceToVoice(latencies::add);
    script = new CalleeScript(lines, Tones.line("hello are you there", 200), speaksFirst, timing, report, now);
  }

  /** Advances {@code ms} of line time; returns what was sent: 'v' voice, 's' silence, 'x' finished. */
  private String run(long ms) {
    StringBuilder sent = new StringBuilder();
    for (long t = 0; t < ms; t += 20) {
      byte[] frame = script.nextFrame(now);
      sent.append(frame == null ? 'x' : isVoice(frame) ? 'v' : 's');
      now += 20;
      if (frame == null) {
        break;
      }
    }
    return sent.toString();
  }

  private static boolean isVoice(byte[] frame) {
    for (byte b : frame) {
      if (b != TelephoneAudio.MULAW_SILENCE) {
        return true;
      }
    }
    return false;
  }

  private void agentTurn(int frames) {
    for (int i = 0; i < frames; i++) {
      script.onAgentMedia(now);
      run(20);
    }
    script.onMark(now);
  }

  @Test
  void waitsForTheGreetingAndAHumanPauseThenSaysEachLineAfterEachAgentTurn() {
    start(Tones.lines(2, 200), false, TIMING);
    assertThat(run(1000)).matches("s+");   // silence while the agent has not spoken
    agentTurn(25);                           // the greeting, then its mark
    String afterGreeting = run(800);
    // ~300 ms of pause (15 frames), then the 200 ms line (10 frames), then silence again
    assertThat(afterGreeting).startsWith("s".repeat(15)).contains("v".repeat(10)).doesNotContain("v".repeat(11));
    assertThat(afterGreeting.indexOf('v')).isBetween(14, 16);
    assertThat(report.turns()).hasSize(1);
    assertThat(report.turns().get(0).line()).isEqualTo("line 1");

    run(400);                                // the agent thinks a while after the line ended
    agentTurn(10);
    long silentAfterLine = (afterGreeting.length() - (afterGreeting.lastIndexOf('v') + 1)) * 20L + 400;
    assertThat(report.turns().get(0).voiceToVoiceMs()).isBetween(silentAfterLine - 20, silentAfterLine + 20);
    assertThat(latencies).containsExactly(report.turns().get(0).voiceToVoiceMs());

    assertThat(run(800)).contains("v".repeat(10));   // line 2
    run(100);
    agentTurn(10);                                   // the agent's closing turn
    String end = run(1000);
    assertThat(end).endsWith("x").startsWith("s");   // nothing left to say: the pause, then finished
    assertThat(script.finished()).isTrue();
    assertThat(script.finishReason()).isEqualTo("customer-hung-up");
    assertThat(report.turns()).hasSize(2).allSatisfy(t -> assertThat(t.voiceToVoiceMs()).isNotNull());
  }

  @Test
  void agentAudioDuringThePauseMeansTheAgentGoesOnTalking() {
    start(Tones.lines(1, 200), false, TIMING);
    agentTurn(5);
    run(100);                       // within the 300 ms pause
    agentTurn(5);                   // a second agent turn right after the first
    assertThat(report.turns()).isEmpty();
    assertThat(run(600)).contains("v".repeat(10));
  }

  @Test
  void aSilentAgentHearsTheLineOnceMoreThenTheCustomerHangsUp() {
    start(Tones.lines(2, 200), false, TIMING);
    agentTurn(5);
    run(600);                       // line 1 said
    String waited = run(5000);      // the agent never answers: after 2 s the line again, then hang up after 2 s more
    assertThat(waited.chars().filter(c -> c == 'v').count()).isEqualTo(10);
    assertThat(waited).endsWith("x");
    assertThat(script.finishReason()).isEqualTo("agent-silent");
    assertThat(report.turns()).extracting(SimulatedCall.Turn::line).containsExactly("line 1", "line 1");
    assertThat(report.turns().get(1).repeat()).isTrue();
  }

  @Test
  void anAgentThatNeverGreetsHearsHelloThenTheCustomerHangsUp() {
    start(Tones.lines(2, 200), false, TIMING);
    String all = run(6000);
    assertThat(all).endsWith("x");
    assertThat(report.turns()).extracting(SimulatedCall.Turn::line).containsExactly("hello are you there");
    assertThat(script.finishReason()).isEqualTo("agent-silent");
  }

  @Test
  void aClearedTurnIsNotWaitedForAndTheNextLineFollows() {
    start(Tones.lines(2, 200), false, TIMING);
    agentTurn(5);
    run(600);
    for (int i = 0; i < 5; i++) {   // the agent starts answering…
      script.onAgentMedia(now);
      run(20);
    }
    script.onClear(now);           // …and the edge clears it: no mark will come
    assertThat(run(700)).contains("v".repeat(10));
    assertThat(report.turns()).hasSize(2);
    assertThat(report.turns().get(0).bargedIn()).isTrue();
    assertThat(report.view().bargeIns()).isEqualTo(1);
  }

  @Test
  void aMachineSpeaksFirstAndNeverRepeats() {
    start(Tones.lines(1, 400), true, new CalleeScript.Timing(300, 1000, 0));
    String greeting = run(400);
    assertThat(greeting).isEqualTo("v".repeat(20));
    assertThat(run(3000)).endsWith("x");
    assertThat(report.turns()).hasSize(1);
    assertThat(script.finishReason()).isEqualTo("agent-silent");
  }

  @Test
  void aMachineHangsUpAfterTheAgentsMessage() {
    start(Tones.lines(1, 200), true, new CalleeScript.Timing(300, 5000, 0));
    run(300);
    agentTurn(50);
    assertThat(run(600)).endsWith("x");
    assertThat(script.finishReason()).isEqualTo("customer-hung-up");
    assertThat(report.turns().get(0).voiceToVoiceMs()).isNotNull();
  }
}
