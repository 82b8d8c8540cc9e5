package io.salesvoice.dialog.script;

/**
 * What an ending of the script writes to the CRM.
 *
 * @param result   short code for reports and the summary, e.g. {@code meeting_booked}
 * @param status   the SIP-like call status the CRM takes (200 success, 304 missed, 603 declined, 486 busy)
 * @param activity the follow-up to schedule at the booked date/time, or null
 * @param subject  the follow-up's subject (a template)
 */
public record Outcome(String result, String status, FollowUp activity, String subject, boolean doNotCall) {

  /** A follow-up the call books in the CRM. */
  public enum FollowUp { MEETING, CALLBACK, TASK }
}
