package io.salesvoice.dialer.domain;

import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.dialer.Campaign;
import io.salesvoice.schema.dialer.DialAttempt;
import io.salesvoice.schema.dialer.DialOutcome;
import io.salesvoice.schema.dialer.DialerRetryRule;
import io.salesvoice.schema.dialer.Lead;
import io.salesvoice.schema.dialer.LeadState;
import io.salesvoice.schema.dialer.LeadStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/** The dialer's rules, free of Kafka: identities of leads and calls, outcomes of calls, and what follows each one. */
public final class DialPlan {

  /** Campaign ids become parts of keys and call ids: no separators ({@code /}, {@code |}) and nothing to escape. */
  public static final Pattern CAMPAIGN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

  private DialPlan() {
  }

  /**
   * One lead per phone number and campaign, named without the number itself: call ids and keys show up in logs and
   * traces, phone numbers must not.
   */
  public static String leadId(String campaignId, String e164) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest((campaignId + "\n" + e164).getBytes(StandardCharsets.UTF_8));
      return "L" + HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Key of a lead and its state: both live in the campaign's partition. */
  public static String leadKey(String campaignId, String leadId) {
    return campaignId + "/" + leadId;
  }

  /** The same campaign, lead and attempt always name the same call, so an adapter can place each callId once. */
  public static String callId(String campaignId, String leadId, int attempt) {
    return campaignId + "-" + leadId + "-a" + attempt;
  }

  /** What a finished call means for the campaign; an answering machine is voicemail however the call ended. */
  public static DialOutcome outcomeOf(CallEndReason reason, boolean answeredByMachine) {
    if (answeredByMachine || reason == CallEndReason.VOICEMAIL) {
      return DialOutcome.VOICEMAIL;
    }
    return switch (reason) {
      case NO_ANSWER -> DialOutcome.NO_ANSWER;
      case BUSY -> DialOutcome.BUSY;
      case ERROR -> DialOutcome.FAILED;
      default -> DialOutcome.CONNECTED;
    };
  }

  /** The lead's state once attempt {@code n} has been requested. */
  public static LeadState dialling(Lead lead, LeadState previous, Instant now) {
    int attempt = (previous == null ? 0 : previous.getAttempts()) + 1;
    return LeadState.newBuilder()
        .setCampaignId(lead.getCampaignId())
        .setLeadId(lead.getLeadId())
        .setStatus(LeadStatus.DIALING)
        .setAttempts(attempt)
        .setCallId(callId(lead.getCampaignId(), lead.getLeadId(), attempt))
        .setRequestedAt(now)
        .setNextAttemptAt(null)
        .setHistory(previous == null ? new ArrayList<>() : new ArrayList<>(previous.getHistory()))
        .setUpdatedAt(now)
        .build();
  }

  /** The lead's state after its call in progress ended with {@code outcome}: a retry later, or done. */
  public static LeadState afterOutcome(LeadState dialling, Campaign campaign, DialOutcome outcome, String detail,
                                       Instant now) {
    List<DialAttempt> history = new ArrayList<>(dialling.getHistory());
    history.add(DialAttempt.newBuilder()
        .setAttempt(dialling.getAttempts())
        .setCallId(dialling.getCallId())
        .setOutcome(outcome)
        .setDetail(detail)
        .setEndedAt(now)
        .build());
    LeadState.Builder next = LeadState.newBuilder(dialling)
        .setCallId(null)
        .setHistory(history)
        .setUpdatedAt(now);
    DialerRetryRule rule = switch (outcome) {
      case NO_ANSWER -> campaign.getNoAnswerRetry();
      case BUSY -> campaign.getBusyRetry();
      case VOICEMAIL -> campaign.getVoicemailRetry();
      default -> null;
    };
    if (outcome == DialOutcome.CONNECTED) {
      return next.setStatus(LeadStatus.CONNECTED).build();
    }
    if (rule == null) {
      return next.setStatus(LeadStatus.FAILED).build();
    }
    if (dialling.getAttempts() < rule.getMaxAttempts()) {
      return next.setStatus(LeadStatus.RETRY_WAIT)
          .setNextAttemptAt(now.plus(Duration.ofSeconds(rule.getDelaySeconds())))
          .build();
    }
    return next.setStatus(LeadStatus.EXHAUSTED).build();
  }

  /** The lead was not called because its number is on the do-not-call list; it is not called again. */
  public static LeadState doNotCall(Lead lead, LeadState previous, Instant now) {
    return LeadState.newBuilder()
        .setCampaignId(lead.getCampaignId())
        .setLeadId(lead.getLeadId())
        .setStatus(LeadStatus.DO_NOT_CALL)
        .setAttempts(previous == null ? 0 : previous.getAttempts())
        .setCallId(null)
        .setRequestedAt(previous == null ? null : previous.getRequestedAt())
        .setNextAttemptAt(null)
        .setHistory(previous == null ? new ArrayList<>() : new ArrayList<>(previous.getHistory()))
        .setUpdatedAt(now)
        .build();
  }

  /** Waiting for a call now: never called, or a retry whose delay has passed. */
  public static boolean due(LeadState state, Instant now) {
    if (state == null) {
      return true;
    }
    return state.getStatus() == LeadStatus.RETRY_WAIT
        && (state.getNextAttemptAt() == null || !state.getNextAttemptAt().isAfter(now));
  }

  /** When the lead becomes due, for ordering: never-called leads by import time, retries by their due time. */
  public static Instant dueAt(Lead lead, LeadState state) {
    return state == null || state.getNextAttemptAt() == null ? lead.getImportedAt() : state.getNextAttemptAt();
  }
}
