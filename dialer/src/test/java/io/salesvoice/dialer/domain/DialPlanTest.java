package io.salesvoice.dialer.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.dialer.Campaign;
import io.salesvoice.schema.dialer.CampaignStatus;
import io.salesvoice.schema.dialer.DialOutcome;
import io.salesvoice.schema.dialer.DialerRetryRule;
import io.salesvoice.schema.dialer.Lead;
import io.salesvoice.schema.dialer.LeadState;
import io.salesvoice.schema.dialer.LeadStatus;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DialPlanTest {

  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  private static Campaign campaign() {
    return Campaign.newBuilder().setCampaignId("spring").setName("Spring").setLanguage("en-US")
        .setCallingHoursStart("09:00").setCallingHoursEnd("20:00").setMaxConcurrentCalls(2).setCallsPerSecond(1)
        .setRingTimeoutSeconds(30)
        .setNoAnswerRetry(new DialerRetryRule(3, 600L))
        .setBusyRetry(new DialerRetryRule(2, 60L))
        .setVoicemailRetry(new DialerRetryRule(1, 0L))
        .setStatus(CampaignStatus.RUNNING).setCreatedAt(T0).setUpdatedAt(T0).build();
  }

  private static Lead lead() {
    return Lead.newBuilder().setCampaignId("spring").setLeadId(DialPlan.leadId("spring", "+79991112233"))
        .setPhoneNumber("+79991112233").setTimezone("UTC").setLanguage("ru-RU").setParameters(Map.of())
        .setImportedAt(T0).build();
  }

  @Test
  void callIdsNameCampaignLeadAndAttemptWithoutSeparatorsOrTheNumber() {
    LeadState first = DialPlan.dialling(lead(), null, T0);
    assertThat(first.getAttempts()).isEqualTo(1);
    assertThat(first.getCallId()).startsWith("spring-L").endsWith("-a1").doesNotContain("|").doesNotContain("9991112233");
    assertThat(DialPlan.dialling(lead(), null, T0.plusSeconds(5)).getCallId()).isEqualTo(first.getCallId());
    assertThat(DialPlan.leadId("spring", "+79991112233")).isNotEqualTo(DialPlan.leadId("autumn", "+79991112233"));
  }

  @Test
  void noAnswerIsRetriedAfterItsDelayUntilTheAttemptsAreUsedUp() {
    LeadState s = DialPlan.dialling(lead(), null, T0);
    s = DialPlan.afterOutcome(s, campaign(), DialOutcome.NO_ANSWER, null, T0.plusSeconds(40));
    assertThat(s.getStatus()).isEqualTo(LeadStatus.RETRY_WAIT);
    assertThat(s.getNextAttemptAt()).isEqualTo(T0.plusSeconds(640));
    assertThat(DialPlan.due(s, T0.plusSeconds(639))).isFalse();
    assertThat(DialPlan.due(s, T0.plusSeconds(640))).isTrue();

    s = DialPlan.dialling(lead(), s, T0.plusSeconds(640));
    assertThat(s.getCallId()).endsWith("-a2");
    s = DialPlan.afterOutcome(s, campaign(), DialOutcome.NO_ANSWER, null, T0.plusSeconds(700));
    s = DialPlan.dialling(lead(), s, T0.plusSeconds(1300));
    s = DialPlan.afterOutcome(s, campaign(), DialOutcome.NO_ANSWER, null, T0.plusSeconds(1340));
    assertThat(s.getStatus()).isEqualTo(LeadStatus.EXHAUSTED);
    assertThat(s.getHistory()).hasSize(3).extracting(a -> a.getAttempt()).containsExactly(1, 2, 3);
    assertThat(DialPlan.due(s, T0.plusSeconds(99_999))).isFalse();
  }

  @Test
  void eachOutcomeHasItsOwnRule() {
    LeadState busy = DialPlan.afterOutcome(DialPlan.dialling(lead(), null, T0), campaign(), DialOutcome.BUSY, null, T0);
    assertThat(busy.getStatus()).isEqualTo(LeadStatus.RETRY_WAIT);
    assertThat(busy.getNextAttemptAt()).isEqualTo(T0.plusSeconds(60));
    LeadState voicemail = DialPlan.afterOutcome(DialPlan.dialling(lead(), null, T0), campaign(), DialOutcome.VOICEMAIL,
        null, T0);
    assertThat(voicemail.getStatus()).isEqualTo(LeadStatus.EXHAUSTED);
    LeadState connected = DialPlan.afterOutcome(DialPlan.dialling(lead(), null, T0), campaign(), DialOutcome.CONNECTED,
        null, T0);
    assertThat(connected.getStatus()).isEqualTo(LeadStatus.CONNECTED);
    assertThat(connected.getCallId()).isNull();
    LeadState failed = DialPlan.afterOutcome(DialPlan.dialling(lead(), null, T0), campaign(), DialOutcome.FAILED,
        "carrier error", T0);
    assertThat(failed.getStatus()).isEqualTo(LeadStatus.FAILED);
    assertThat(failed.getHistory().get(0).getDetail()).isEqualTo("carrier error");
  }

  @Test
  void anAnsweringMachineIsVoicemailWhateverEndedTheCall() {
    assertThat(DialPlan.outcomeOf(CallEndReason.CUSTOMER_HANGUP, true)).isEqualTo(DialOutcome.VOICEMAIL);
    assertThat(DialPlan.outcomeOf(CallEndReason.VOICEMAIL, false)).isEqualTo(DialOutcome.VOICEMAIL);
    assertThat(DialPlan.outcomeOf(CallEndReason.NO_ANSWER, false)).isEqualTo(DialOutcome.NO_ANSWER);
    assertThat(DialPlan.outcomeOf(CallEndReason.BUSY, false)).isEqualTo(DialOutcome.BUSY);
    assertThat(DialPlan.outcomeOf(CallEndReason.ERROR, false)).isEqualTo(DialOutcome.FAILED);
    assertThat(DialPlan.outcomeOf(CallEndReason.AGENT_HANGUP, false)).isEqualTo(DialOutcome.CONNECTED);
    assertThat(DialPlan.outcomeOf(CallEndReason.TRANSFERRED, false)).isEqualTo(DialOutcome.CONNECTED);
  }
}
