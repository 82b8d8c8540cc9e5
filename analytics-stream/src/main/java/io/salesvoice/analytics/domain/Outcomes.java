package io.salesvoice.analytics.domain;

import io.salesvoice.analytics.state.CallState;
import io.salesvoice.analytics.state.CrmEntry;
import java.util.List;

/**
 * What became of a call, for the campaign's outcome counts and conversion rate. The CRM's word (a write that was
 * applied) beats the dialog's, the dialog's beats how the line ended:
 * <ol>
 *   <li>DO_NOT_CALL: a MarkDoNotCall applied (or already applied), or the dialog's state/intent names do-not-call;</li>
 *   <li>TRANSFERRED: the dialog chose the TRANSFER action, or the call ended TRANSFERRED;</li>
 *   <li>MEETING_BOOKED / CALLBACK: a ScheduleActivity applied; its kind is read from the idempotency key
 *       (e.g. {@code call-1:activity:callback}), else from the dialog's states and intents (callback wins if named),
 *       else MEETING; a TASK key is no outcome;</li>
 *   <li>the same two from the dialog alone (a state or intent naming a booked meeting or a callback) when the CRM
 *       result has not arrived or was rejected;</li>
 *   <li>NOT_INTERESTED: the last state or an intent names not-interested, a refusal or a decline;</li>
 *   <li>once ended without any of these: VOICEMAIL (machine or voicemail), NO_ANSWER (never answered), BUSY,
 *       FAILED (error), else NO_DECISION.</li>
 * </ol>
 * A call still in progress has no outcome unless one of the first five already holds.
 */
public final class Outcomes {

  public static final String DO_NOT_CALL = "DO_NOT_CALL";
  public static final String TRANSFERRED = "TRANSFERRED";
  public static final String MEETING_BOOKED = "MEETING_BOOKED";
  public static final String CALLBACK = "CALLBACK";
  public static final String NOT_INTERESTED = "NOT_INTERESTED";
  public static final String VOICEMAIL = "VOICEMAIL";
  public static final String NO_ANSWER = "NO_ANSWER";
  public static final String BUSY = "BUSY";
  public static final String FAILED = "FAILED";
  public static final String NO_DECISION = "NO_DECISION";

  /** The outcomes that count as a conversion: the call booked a meeting with a salesperson. */
  public static final List<String> CONVERSIONS = List.of(MEETING_BOOKED);

  private Outcomes() {
  }

  public static String of(CallState s) {
    if (crmApplied(s, "MarkDoNotCall") != null || dialogNames(s, "donotcall", "dnc", "optout", "unsubscribe")) {
      return DO_NOT_CALL;
    }
    if (s.getTransferRequested() || "TRANSFERRED".equals(s.getEndReason())) {
      return TRANSFERRED;
    }
    CrmEntry activity = crmApplied(s, "ScheduleActivity");
    if (activity != null) {
      String key = Names.normalize(activity.getIdempotencyKey());
      if (key.contains("callback")) {
        return CALLBACK;
      }
      if (key.contains("meeting")) {
        return MEETING_BOOKED;
      }
      if (!key.contains("task")) {
        return dialogNames(s, "callback", "callmelater", "recall") ? CALLBACK : MEETING_BOOKED;
      }
    }
    if (dialogNames(s, "callback", "callmelater", "recall")) {
      return CALLBACK;
    }
    if (dialogNames(s, "meetingbooked", "meetingscheduled", "booked", "appointment")) {
      return MEETING_BOOKED;
    }
    String last = Names.normalize(s.getLastState());
    if (containsAny(last, "notinterested", "refus", "declin", "reject")
        || s.getIntents().stream().map(Names::normalize).anyMatch(i -> containsAny(i, "notinterested", "refus", "declin", "reject"))) {
      return NOT_INTERESTED;
    }
    if (!CallStates.isEnded(s)) {
      return null;
    }
    if ("MACHINE".equals(s.getAnsweredBy()) || "VOICEMAIL".equals(s.getEndReason())) {
      return VOICEMAIL;
    }
    if ("BUSY".equals(s.getEndReason())) {
      return BUSY;
    }
    if (s.getAnsweredAt() == null || "NO_ANSWER".equals(s.getEndReason())) {
      return NO_ANSWER;
    }
    if ("ERROR".equals(s.getEndReason())) {
      return FAILED;
    }
    return NO_DECISION;
  }

  private static CrmEntry crmApplied(CallState s, String commandType) {
    for (CrmEntry c : s.getCrm()) {
      if (c.getCommandType().equals(commandType) && ("APPLIED".equals(c.getStatus()) || "DUPLICATE".equals(c.getStatus()))) {
        return c;
      }
    }
    return null;
  }

  private static boolean dialogNames(CallState s, String... words) {
    if (containsAny(Names.normalize(s.getLastState()), words)) {
      return true;
    }
    for (String intent : s.getIntents()) {
      if (containsAny(Names.normalize(intent), words)) {
        return true;
      }
    }
    return false;
  }

  private static boolean containsAny(String s, String... words) {
    for (String w : words) {
      if (!s.isEmpty() && s.contains(w)) {
        return true;
      }
    }
    return false;
  }
}
