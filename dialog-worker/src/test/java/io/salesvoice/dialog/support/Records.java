package io.salesvoice.dialog.support;

import io.salesvoice.schema.audio.AudioCodec;
import io.salesvoice.schema.call.CallDirection;
import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.call.CallEnded;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.call.CallStarted;
import io.salesvoice.schema.transcript.Transcript;
import java.time.Instant;
import java.util.Map;

/** Input records as the other workers write them. */
public final class Records {

  private Records() {
  }

  public static CallEvent started(String callId, String language, String phone, int replyPartition,
                                  Map<String, String> parameters) {
    return CallEvent.newBuilder()
        .setCallId(callId)
        .setEventId(callId + "-started")
        .setOccurredAt(Instant.parse("2026-11-25T07:00:00Z"))
        .setCampaignId("campaign-1")
        .setEvent(CallStarted.newBuilder()
            .setDirection(CallDirection.OUTBOUND)
            .setProvider("simulated")
            .setLeadId("lead-1")
            .setPhoneNumber(phone)
            .setLanguage(language)
            .setCodec(AudioCodec.values()[0])
            .setSampleRate(8000)
            .setGatewayInstance("gw-1")
            .setReplyPartition(replyPartition)
            .setParameters(Map.copyOf(parameters))
            .build())
        .build();
  }

  public static CallEvent ended(String callId, CallEndReason reason, long durationMs) {
    return CallEvent.newBuilder()
        .setCallId(callId)
        .setEventId(callId + "-ended")
        .setOccurredAt(Instant.parse("2026-11-25T07:05:00Z"))
        .setCampaignId("campaign-1")
        .setEvent(CallEnded.newBuilder().setReason(reason).setDurationMs(durationMs).build())
        .build();
  }

  public static Transcript said(String callId, String utteranceId, String text, String language) {
    return Transcript.newBuilder()
        .setCallId(callId)
        .setUtteranceId(utteranceId)
        .setText(text)
        .setIsFinal(true)
        .setLanguage(language)
        .setConfidence(0.95f)
        .setStartMs(0)
        .setEndMs(1000)
        .setEngine("test")
        .setProducedAt(Instant.now())
        .build();
  }
}
