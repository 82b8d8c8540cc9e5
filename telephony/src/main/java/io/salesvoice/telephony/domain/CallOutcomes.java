package io.salesvoice.telephony.domain;

import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.call.CallEnded;
import io.salesvoice.schema.call.CallEvent;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;

/**
 * The ends of calls that never reached the media stream, as {@code CallEnded} events the dialer understands. Event
 * ids are derived from the call, so a report repeated by the scenario (or a redelivered request) is one event to a
 * consumer that drops duplicates.
 */
public final class CallOutcomes {

  /** What a scenario may report about a call that did not connect. */
  public enum Result { NO_ANSWER, BUSY, FAILED }

  private static final Map<Result, CallEndReason> REASONS = Map.of(
      Result.NO_ANSWER, CallEndReason.NO_ANSWER,
      Result.BUSY, CallEndReason.BUSY,
      Result.FAILED, CallEndReason.ERROR);

  private CallOutcomes() {
  }

  /** The result named by {@code text} (case-insensitive); IllegalArgumentException with the accepted names otherwise. */
  public static Result parse(String text) {
    if (text != null) {
      try {
        return Result.valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        // fall through to the message below
      }
    }
    throw new IllegalArgumentException("unknown call result " + (text == null ? "null" : "'" + text + "'")
        + ": expected NO_ANSWER, BUSY or FAILED");
  }

  public static CallEndReason reason(Result result) {
    return REASONS.get(result);
  }

  /** A {@code CallEnded} of {@code callId}, written by this adapter; {@code source} tells apart who ended it. */
  public static CallEvent ended(String callId, String campaignId, CallEndReason reason, String detail, String source,
                                Clock clock) {
    return CallEvent.newBuilder()
        .setCallId(callId)
        .setEventId(callId + ":telephony:" + source + ":ended")
        .setOccurredAt(clock.instant())
        .setCampaignId(campaignId)
        .setEvent(CallEnded.newBuilder().setReason(reason).setDetail(detail).setDurationMs(0).build())
        .build();
  }
}
