package io.salesvoice.analytics;

import io.salesvoice.schema.audio.AudioChunk;
import io.salesvoice.schema.audio.AudioCodec;
import io.salesvoice.schema.audio.Channel;
import io.salesvoice.schema.call.AnsweredBy;
import io.salesvoice.schema.call.BargeIn;
import io.salesvoice.schema.call.CallAnswered;
import io.salesvoice.schema.call.CallDirection;
import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.call.CallEnded;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.call.CallStarted;
import io.salesvoice.schema.crm.CrmResult;
import io.salesvoice.schema.crm.CrmStatus;
import io.salesvoice.schema.dialog.DialogAction;
import io.salesvoice.schema.dialog.DialogTurn;
import io.salesvoice.schema.transcript.Transcript;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Builders of the pipeline's records as the other stages write them, for tests and the benchmark. */
public final class Records {

  private Records() {
  }

  public static CallEvent started(String callId, String campaign, CallDirection direction, long at) {
    return event(callId, campaign, at, CallStarted.newBuilder().setDirection(direction).setProvider("simulated")
        .setLanguage("en-US").setCodec(AudioCodec.PCM16).setSampleRate(8000).setGatewayInstance("gw-1")
        .setReplyPartition(0).build());
  }

  public static CallEvent answered(String callId, String campaign, AnsweredBy by, long at) {
    return event(callId, campaign, at, CallAnswered.newBuilder().setAnsweredBy(by).build());
  }

  public static CallEvent ended(String callId, String campaign, CallEndReason reason, long durationMs, long at) {
    return event(callId, campaign, at, CallEnded.newBuilder().setReason(reason).setDurationMs(durationMs).build());
  }

  public static CallEvent bargeIn(String callId, String campaign, long at) {
    return event(callId, campaign, at, BargeIn.newBuilder().setMediaTimeMs(1000).setPlayedMs(800).build());
  }

  public static CallEvent event(String callId, String campaign, long at, Object body) {
    return CallEvent.newBuilder().setCallId(callId).setEventId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.ofEpochMilli(at)).setCampaignId(campaign).setEvent(body).build();
  }

  /** A final customer utterance from media time {@code startMs} to {@code endMs}, transcribed {@code sttMs} after it ended. */
  public static Transcript said(String callId, String utteranceId, String text, long startMs, long endMs,
                                long speechEndedAt, long sttMs) {
    return Transcript.newBuilder().setCallId(callId).setUtteranceId(utteranceId).setText(text).setIsFinal(true)
        .setLanguage("en-US").setConfidence(0.9f).setStartMs(startMs).setEndMs(endMs).setEngine("sphinx4")
        .setChannel(Channel.CUSTOMER).setSpeechEndedAt(Instant.ofEpochMilli(speechEndedAt))
        .setProducedAt(Instant.ofEpochMilli(speechEndedAt + sttMs)).build();
  }

  public static DialogTurn turn(String callId, String turnId, int chunk, boolean last, String text, String state,
                                String intent, DialogAction action, String inReplyTo, long producedAt,
                                Map<String, String> slots) {
    return DialogTurn.newBuilder().setCallId(callId).setTurnId(turnId).setChunkIndex(chunk).setText(text)
        .setLastChunk(last).setAction(action).setState(state).setIntent(intent).setSlots(slots)
        .setLanguage("en-US").setEngine("script").setInReplyTo(inReplyTo)
        .setProducedAt(Instant.ofEpochMilli(producedAt)).build();
  }

  public static DialogTurn say(String callId, String turnId, String text, String state, String inReplyTo, long producedAt) {
    return turn(callId, turnId, 0, true, text, state, null, DialogAction.SPEAK, inReplyTo, producedAt, Map.of());
  }

  public static CrmResult crm(String callId, String campaign, String commandType, String idempotencyKey,
                              CrmStatus status, long at) {
    return CrmResult.newBuilder().setCommandId(UUID.randomUUID().toString()).setIdempotencyKey(idempotencyKey)
        .setCallId(callId).setCampaignId(campaign).setCommandType(commandType).setStatus(status).setAttempts(1)
        .setCompletedAt(Instant.ofEpochMilli(at)).build();
  }

  public static AudioChunk agentAudio(String callId, String turnId, long seq, int durationMs, long producedAt) {
    return AudioChunk.newBuilder().setCallId(callId).setSeq(seq).setChannel(Channel.AGENT).setCodec(AudioCodec.PCM16)
        .setSampleRate(8000).setMediaTimeMs(seq * durationMs).setDurationMs(durationMs)
        .setData(ByteBuffer.wrap(new byte[durationMs * 16])).setTurnId(turnId)
        .setProducedAt(Instant.ofEpochMilli(producedAt)).build();
  }
}
