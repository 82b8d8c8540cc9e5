package io.salesvoice.analytics.domain;

import static io.salesvoice.analytics.Records.answered;
import static io.salesvoice.analytics.Records.crm;
import static io.salesvoice.analytics.Records.ended;
import static io.salesvoice.analytics.Records.said;
import static io.salesvoice.analytics.Records.say;
import static io.salesvoice.analytics.Records.started;
import static io.salesvoice.analytics.Records.turn;
import static org.assertj.core.api.Assertions.assertThat;

import io.salesvoice.analytics.state.CallState;
import io.salesvoice.schema.call.AnsweredBy;
import io.salesvoice.schema.call.CallDirection;
import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.crm.CrmStatus;
import io.salesvoice.schema.dialog.DialogAction;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutcomesAndQaTest {

  private static final long T = 1_790_000_000_000L;

  private static CallState answeredCall() {
    CallState s = CallStates.empty("c");
    CallStates.apply(s, started("c", "k", CallDirection.OUTBOUND, T));
    CallStates.apply(s, answered("c", "k", AnsweredBy.HUMAN, T + 1_000));
    return s;
  }

  @Test
  void crmWordBeatsTheDialogsAndTheKindComesFromTheKey() {
    CallState s = answeredCall();
    CallStates.apply(s, say("c", "t1", "Talk soon", "meeting_booked", null, T + 2_000));
    assertThat(Outcomes.of(s)).isEqualTo(Outcomes.MEETING_BOOKED);
    CallStates.apply(s, crm("c", "k", "ScheduleActivity", "c:activity:callback", CrmStatus.APPLIED, T + 3_000));
    assertThat(Outcomes.of(s)).isEqualTo(Outcomes.CALLBACK);
    CallStates.apply(s, crm("c", "k", "MarkDoNotCall", "c:dnc", CrmStatus.DUPLICATE, T + 4_000));
    assertThat(Outcomes.of(s)).isEqualTo(Outcomes.DO_NOT_CALL);
  }

  @Test
  void rejectedCrmWritesDoNotCountAndTransfersAreOutcomes() {
    CallState s = answeredCall();
    CallStates.apply(s, crm("c", "k", "ScheduleActivity", "c:activity:meeting", CrmStatus.REJECTED, T + 3_000));
    assertThat(Outcomes.of(s)).isNull();
    CallStates.apply(s, turn("c", "t1", 0, true, "Connecting you", "handoff", null, DialogAction.TRANSFER, null,
        T + 4_000, Map.of()));
    assertThat(Outcomes.of(s)).isEqualTo(Outcomes.TRANSFERRED);
  }

  @Test
  void howTheLineEndedDecidesWhenNothingElseDid() {
    CallState never = CallStates.empty("n");
    CallStates.apply(never, started("n", "k", CallDirection.OUTBOUND, T));
    CallStates.apply(never, ended("n", "k", CallEndReason.NO_ANSWER, 0, T + 30_000));
    assertThat(Outcomes.of(never)).isEqualTo(Outcomes.NO_ANSWER);

    CallState machine = CallStates.empty("m");
    CallStates.apply(machine, answered("m", "k", AnsweredBy.MACHINE, T));
    CallStates.apply(machine, ended("m", "k", CallEndReason.AGENT_HANGUP, 5_000, T + 5_000));
    assertThat(Outcomes.of(machine)).isEqualTo(Outcomes.VOICEMAIL);

    CallState refused = answeredCall();
    CallStates.apply(refused, say("c", "t1", "Sorry to bother you", "objection_not_interested", null, T + 2_000));
    assertThat(Outcomes.of(refused)).isEqualTo(Outcomes.NOT_INTERESTED);
  }

  @Test
  void aScriptFollowedWithoutFaultsScoresFullMarks() {
    CallState s = answeredCall();
    long at = T + 2_000;
    for (String state : List.of("Greeting", "intro", "offer-2", "next step")) {
      CallStates.apply(s, say("c", "t-" + state, "Sentence.", state, null, at));
      CallStates.apply(s, said("c", "u-" + state, "Yes.", at - T + 1_000, at - T + 2_000, at + 2_000, 100));
      at += 3_000;
    }
    QaScorer.Score score = new QaScorer(QaRules.defaults()).score(s);
    assertThat(score.reasons()).isEmpty();
    assertThat(score.score()).isEqualTo(100.0);
  }

  @Test
  void eachFaultCostsPointsWithAReason() {
    CallState s = answeredCall();
    CallStates.apply(s, say("c", "t1", "Hello! We GUARANTEE you will love it, no risk at all, this is a long sentence.",
        "greeting", null, T + 2_000));
    CallStates.apply(s, said("c", "u1", "Hm.", 3_000, 3_500, T + 3_500, 100));
    // 20 s of silence, then the agent again.
    CallStates.apply(s, say("c", "t2", "Are you there?", "offer", null, T + 24_000));
    QaScorer.Score score = new QaScorer(new QaRules(List.of("greeting", "offer", "next_step"),
        List.of("guarantee", "no risk"), 0.7, Duration.ofSeconds(5))).score(s);
    assertThat(score.reasons()).hasSize(5)
        .anyMatch(r -> r.startsWith("required state not visited: next_step"))
        .anyMatch(r -> r.startsWith("forbidden phrase \"guarantee\""))
        .anyMatch(r -> r.startsWith("forbidden phrase \"no risk\""))
        .anyMatch(r -> r.startsWith("agent talked"))
        .anyMatch(r -> r.startsWith("1 silence gap(s) over 5 s"));
    assertThat(score.score()).isEqualTo(100 - 15 - 10 - 10 - 10 - 5);
  }
}
