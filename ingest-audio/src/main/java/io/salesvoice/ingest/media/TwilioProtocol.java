package io.salesvoice.ingest.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.salesvoice.ingest.audio.AudioFormat;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Twilio Media Streams, also spoken by many other carriers: {@code connected}, {@code start} (streamSid, callSid,
 * mediaFormat, customParameters), {@code media} (base64 8 kHz mu-law), {@code dtmf}, {@code mark}, {@code stop} in;
 * {@code media}, {@code mark} and {@code clear} out, each naming the streamSid.
 */
public final class TwilioProtocol implements MediaProtocol {

  private String streamSid;
  private AudioFormat format;

  @Override
  public String provider() {
    return "twilio";
  }

  @Override
  public List<MediaEvent> onText(String text) {
    JsonNode frame = JsonFrames.parse(text);
    String event = JsonFrames.event(frame);
    return switch (event) {
      case "connected" -> List.of(new MediaEvent.Ignored());
      case "start" -> List.of(start(frame));
      case "media" -> {
        requireStarted(event);
        JsonNode media = frame.get("media");
        JsonNode track = media == null ? null : media.get("track");
        // with both_tracks Twilio echoes what we play; only the caller's track is customer audio
        if (track != null && !"inbound".equals(track.asText()) && !"inbound_track".equals(track.asText())) {
          yield List.of(new MediaEvent.Ignored());
        }
        yield List.of(new MediaEvent.Audio(JsonFrames.payload(media)));
      }
      case "dtmf" -> {
        requireStarted(event);
        JsonNode digit = frame.path("dtmf").get("digit");
        if (digit == null || !digit.isTextual()) {
          throw MediaProtocolException.malformed("dtmf frame has no digit");
        }
        yield List.of(new MediaEvent.Dtmf(digit.asText()));
      }
      case "mark" -> List.of(new MediaEvent.Mark(frame.path("mark").path("name").asText("")));
      case "stop" -> List.of(new MediaEvent.Stopped("stop"));
      default -> throw MediaProtocolException.unsupported("unknown_event", "unknown event '" + event + "'");
    };
  }

  private MediaEvent start(JsonNode frame) {
    if (format != null) {
      throw MediaProtocolException.malformed("a second start on one stream");
    }
    JsonNode start = frame.get("start");
    if (start == null || !start.isObject()) {
      throw MediaProtocolException.malformed("start frame has no \"start\" object");
    }
    streamSid = start.path("streamSid").asText(frame.path("streamSid").asText(null));
    if (streamSid == null || streamSid.isBlank()) {
      throw MediaProtocolException.malformed("start frame has no streamSid");
    }
    JsonNode mediaFormat = start.path("mediaFormat");
    if (mediaFormat.path("channels").asInt(1) != 1) {
      throw MediaProtocolException.unsupported("unsupported_channels", "only mono media streams are supported");
    }
    format = JsonFrames.format(mediaFormat.path("encoding").asText("audio/x-mulaw"),
        mediaFormat.path("sampleRate").asInt(8000));
    Map<String, String> params = JsonFrames.stringMap(start.get("customParameters"));
    String token = params.remove("token");
    params.put("streamSid", streamSid);
    String callSid = start.path("callSid").asText(null);
    if (callSid != null) {
      params.put("callSid", callSid);
    }
    return new MediaEvent.Started(format, callSid, token, params);
  }

  private void requireStarted(String event) {
    if (format == null) {
      throw new MediaProtocolException(MediaProtocolException.POLICY_VIOLATION, "before_start",
          "'" + event + "' before 'start': the stream is not authenticated yet");
    }
  }

  @Override
  public List<MediaEvent> onBinary(byte[] frame) {
    throw MediaProtocolException.unsupported("binary_frame", "Twilio media streams send JSON text frames only");
  }

  @Override
  public AudioFormat outboundFormat() {
    return format;
  }

  @Override
  public OutFrame audio(byte[] data) {
    ObjectNode out = envelope("media");
    out.putObject("media").put("payload", Base64.getEncoder().encodeToString(data));
    return OutFrame.text(out.toString());
  }

  @Override
  public Optional<OutFrame> clear() {
    return Optional.of(OutFrame.text(envelope("clear").toString()));
  }

  @Override
  public Optional<OutFrame> mark(String name) {
    ObjectNode out = envelope("mark");
    out.putObject("mark").put("name", name);
    return Optional.of(OutFrame.text(out.toString()));
  }

  private ObjectNode envelope(String event) {
    ObjectNode out = JsonFrames.object();
    out.put("event", event);
    out.put("streamSid", streamSid);
    return out;
  }
}
