package io.salesvoice.ingest;

import io.salesvoice.schema.audio.Channel;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the telephony edge ({@code sva.ingest.*}).
 *
 * @param instanceId        this gateway's name in {@code CallStarted.gatewayInstance}; the host name when blank
 * @param inboundSampleRate rate of the PCM16 audio written to {@code sva.audio.in} (8000 or 16000)
 * @param language          BCP 47 language of a call whose provider names none
 * @param idleTimeout       a media connection with no frame for this long ends with {@code IDLE_TIMEOUT}
 * @param maxFrameBytes     largest media frame accepted (text or binary); larger frames close the connection with 1009
 * @param tokenSecret       shared secret that signs per-call media tokens (at least 16 bytes)
 * @param apiKey            key of the replay and admin endpoints ({@code X-Api-Key}); none = those endpoints refuse all
 * @param playbackGroup     consumer group of {@code sva.audio.out} shared by every ingest instance
 * @param playbackLead      agent audio sent ahead of real time, the most a barge-in can let through
 * @param replyPartitionWait how long a new call waits for this instance to be assigned {@code sva.audio.out} partitions
 * @param liveView          the browser test client's live view of a call ({@code /api/calls/{callId}/events})
 */
@ConfigurationProperties("sva.ingest")
public record IngestProperties(
    String instanceId,
    @DefaultValue("16000") int inboundSampleRate,
    @DefaultValue("ru-RU") String language,
    @DefaultValue("30s") Duration idleTimeout,
    @DefaultValue("65536") int maxFrameBytes,
    String tokenSecret,
    String apiKey,
    @DefaultValue("sva-ingest-audio") String playbackGroup,
    @DefaultValue("60ms") Duration playbackLead,
    @DefaultValue("15s") Duration replyPartitionWait,
    @DefaultValue BargeIn bargeIn,
    @DefaultValue Replay replay,
    @DefaultValue LiveView liveView) {

  /**
   * @param thresholdDbfs inbound level that counts as speech
   * @param minSpeech     how long speech must last while the agent talks to stop the agent
   */
  public record BargeIn(@DefaultValue("-35") double thresholdDbfs, @DefaultValue("200ms") Duration minSpeech) {
  }

  /**
   * @param maxSize     largest recording accepted (413 above)
   * @param chunk       length of each AudioChunk of a replayed recording
   * @param leftChannel who speaks on the left channel of a stereo recording; the other speaks on the right
   * @param keep        how many finished replays {@code GET /api/replays/{id}} remembers
   */
  public record Replay(@DefaultValue("64MB") DataSize maxSize, @DefaultValue("20ms") Duration chunk,
                       @DefaultValue("AGENT") Channel leftChannel, @DefaultValue("1000") int keep) {
  }

  /**
   * @param maxViewers live views this instance serves at once (each holds one Kafka consumer); more get 503
   * @param heartbeat  how often an idle live view gets a comment, so proxies keep it open and a gone viewer is noticed
   */
  public record LiveView(@DefaultValue("20") int maxViewers, @DefaultValue("15s") Duration heartbeat) {
  }
}
