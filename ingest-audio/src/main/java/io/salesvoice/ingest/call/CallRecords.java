package io.salesvoice.ingest.call;

import io.salesvoice.ingest.audio.AudioFormat;
import io.salesvoice.platform.kafka.OutboundRecord;
import io.salesvoice.platform.topics.Topics;
import io.salesvoice.schema.audio.AudioChunk;
import io.salesvoice.schema.audio.Channel;
import io.salesvoice.schema.call.AnsweredBy;
import io.salesvoice.schema.call.BargeIn;
import io.salesvoice.schema.call.CallAnswered;
import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.call.CallEnded;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.call.CallStarted;
import io.salesvoice.schema.call.Dtmf;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.UUID;

/** Builds the records one call writes: lifecycle events to {@code sva.calls}, audio to {@code sva.audio.in}, keyed by callId. */
public final class CallRecords {

  private final String callId;
  private final String campaignId;

  public CallRecords(String callId, String campaignId) {
    this.callId = callId;
    this.campaignId = campaignId;
  }

  public String callId() {
    return callId;
  }

  public OutboundRecord started(CallStarted started, Instant at) {
    return event(started, at);
  }

  public OutboundRecord answered(AnsweredBy answeredBy, Instant at) {
    return event(CallAnswered.newBuilder().setAnsweredBy(answeredBy).build(), at);
  }

  public OutboundRecord ended(CallEndReason reason, String detail, long durationMs, Instant at) {
    return event(CallEnded.newBuilder().setReason(reason).setDetail(detail).setDurationMs(durationMs).build(), at);
  }

  public OutboundRecord bargeIn(String turnId, long mediaTimeMs, long playedMs, Instant at) {
    return event(BargeIn.newBuilder().setTurnId(turnId).setMediaTimeMs(mediaTimeMs).setPlayedMs(playedMs).build(), at);
  }

  public OutboundRecord dtmf(String digits, long mediaTimeMs, Instant at) {
    return event(Dtmf.newBuilder().setDigits(digits).setMediaTimeMs(mediaTimeMs).build(), at);
  }

  public OutboundRecord chunk(Channel channel, long seq, AudioFormat format, long mediaTimeMs, byte[] data,
                              Instant producedAt) {
    AudioChunk chunk = AudioChunk.newBuilder()
        .setCallId(callId)
        .setSeq(seq)
        .setChannel(channel)
        .setCodec(format.codec())
        .setSampleRate(format.sampleRate())
        .setMediaTimeMs(mediaTimeMs)
        .setDurationMs(format.millisOf(data.length))
        .setData(ByteBuffer.wrap(data))
        .setProducedAt(producedAt)
        .build();
    return OutboundRecord.of(Topics.AUDIO_IN, callId, chunk);
  }

  private OutboundRecord event(Object event, Instant at) {
    CallEvent value = CallEvent.newBuilder()
        .setCallId(callId)
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(at)
        .setCampaignId(campaignId)
        .setEvent(event)
        .build();
    return OutboundRecord.of(Topics.CALLS, callId, value);
  }
}
