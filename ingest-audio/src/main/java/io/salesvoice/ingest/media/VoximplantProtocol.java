package io.salesvoice.ingest.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.salesvoice.ingest.audio.AudioFormat;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Voximplant's WebSocket media format, what a VoxEngine scenario sends after {@code call.sendMediaTo(webSocket,
 * {encoding, tag, customParameters})}: {@code start} with {@code mediaFormat} and {@code customParameters},
 * {@code media} with a base64 {@code payload}, {@code stop} with {@code mediaInfo}. The agent's audio goes back as
 * {@code media} frames in the stream's encoding, which VoxEngine plays into the call.
 */
public final class VoximplantProtocol implements MediaProtocol {

  private AudioFormat format;
  private String tag;

  @Override
  public String provider() {
    return "voximplant";
  }

  @Override
  public List<MediaEvent> onText(String text) {
    JsonNode frame = JsonFrames.parse(text);
    String event = JsonFrames.event(frame);
    return switch (event) {
      case "start" -> List.of(start(frame));
      case "media" -> {
        if (format == null) {
          throw new MediaProtocolException(MediaProtocolException.POLICY_VIOLATION, "before_start",
              "'media' before 'start': the stream is not authenticated yet");
        }
        yield List.of(new MediaEvent.Audio(JsonFrames.payload(frame.get("media"))));
      }
      case "stop" -> List.of(new MediaEvent.Stopped("stop"));
      default -> throw MediaProtocolException.unsupported("unknown_event", "unknown event '" + event + "'");
    };
  }

  private MediaEvent start(JsonNode frame) {
    if (format != null) {
      throw MediaProtocolException.malformed("a second start on one connection: open one connection per call");
    }
    JsonNode start = frame.get("start");
    if (start == null || !start.isObject()) {
      throw MediaProtocolException.malformed("start frame has no \"start\" object");
    }
    JsonNode mediaFormat = start.path("mediaFormat");
    format = JsonFrames.format(mediaFormat.path("encoding").asText("PCM16"), mediaFormat.path("sampleRate").asInt(0));
    tag = start.path("tag").asText(null);
    Map<String, String> params = JsonFrames.stringMap(start.get("customParameters"));
    String token = params.remove("token");
    if (tag != null) {
      params.put("tag", tag);
    }
    return new MediaEvent.Started(format, params.get("voxCallId"), token, params);
  }

  @Override
  public List<MediaEvent> onBinary(byte[] frame) {
    throw MediaProtocolException.unsupported("binary_frame", "Voximplant media streams send JSON text frames only");
  }

  @Override
  public AudioFormat outboundFormat() {
    return format;
  }

  @Override
  public OutFrame audio(byte[] data) {
    ObjectNode out = JsonFrames.object();
    out.put("event", "media");
    ObjectNode media = out.putObject("media");
    if (tag != null) {
      media.put("tag", tag);
    }
    media.put("payload", Base64.getEncoder().encodeToString(data));
    return OutFrame.text(out.toString());
  }

  /** VoxEngine's scenario flushes its buffer itself ({@code clearMediaBuffer}); stopping the pacing is enough. */
  @Override
  public Optional<OutFrame> clear() {
    return Optional.empty();
  }

  @Override
  public Optional<OutFrame> mark(String name) {
    return Optional.empty();
  }
}
