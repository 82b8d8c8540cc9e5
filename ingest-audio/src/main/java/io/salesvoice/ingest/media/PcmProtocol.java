package io.salesvoice.ingest.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.salesvoice.ingest.audio.AudioFormat;
import io.salesvoice.schema.audio.AudioCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Raw PCM16 for FreeSWITCH/Asterisk audio forks and the browser client: the connect URL carries the token, the sample
 * rate ({@code rate=8000|16000}) and call parameters; binary frames are signed 16-bit little-endian mono samples both
 * ways; text frames are control: {@code {"event":"stop"}} and {@code {"event":"dtmf","digits":"5"}} in,
 * {@code clear} and {@code mark} out.
 */
public final class PcmProtocol implements MediaProtocol {

  private final AudioFormat format;
  private final String token;
  private final Map<String, String> parameters;

  /** @param query the connect URL's query parameters, first value of each */
  public PcmProtocol(Map<String, String> query) {
    Map<String, String> params = new LinkedHashMap<>(query);
    this.token = params.remove("token");
    String rate = params.remove("rate");
    int sampleRate;
    try {
      sampleRate = rate == null ? 16000 : Integer.parseInt(rate);
    } catch (NumberFormatException e) {
      throw MediaProtocolException.unsupported("unsupported_sample_rate", "rate must be 8000 or 16000, not " + rate);
    }
    if (sampleRate != 8000 && sampleRate != 16000) {
      throw MediaProtocolException.unsupported("unsupported_sample_rate",
          "rate must be 8000 or 16000, not " + sampleRate);
    }
    this.format = new AudioFormat(AudioCodec.PCM16, sampleRate);
    this.parameters = params;
  }

  @Override
  public String provider() {
    return "pcm";
  }

  @Override
  public List<MediaEvent> onConnect() {
    return List.of(new MediaEvent.Started(format, null, token, parameters));
  }

  @Override
  public List<MediaEvent> onText(String text) {
    JsonNode frame = JsonFrames.parse(text);
    String event = JsonFrames.event(frame);
    return switch (event) {
      case "stop" -> List.of(new MediaEvent.Stopped("stop"));
      case "dtmf" -> {
        String digits = frame.path("digits").asText("");
        if (digits.isEmpty()) {
          throw MediaProtocolException.malformed("dtmf frame has no digits");
        }
        yield List.of(new MediaEvent.Dtmf(digits));
      }
      case "mark" -> List.of(new MediaEvent.Mark(frame.path("name").asText("")));
      default -> throw MediaProtocolException.unsupported("unknown_event", "unknown event '" + event + "'");
    };
  }

  @Override
  public List<MediaEvent> onBinary(byte[] frame) {
    if (frame.length % 2 != 0) {
      throw MediaProtocolException.malformed("a PCM16 frame has an even number of bytes, not " + frame.length);
    }
    return List.of(new MediaEvent.Audio(frame));
  }

  @Override
  public AudioFormat outboundFormat() {
    return format;
  }

  @Override
  public OutFrame audio(byte[] data) {
    return OutFrame.binary(data);
  }

  @Override
  public Optional<OutFrame> clear() {
    return Optional.of(OutFrame.text("{\"event\":\"clear\"}"));
  }

  @Override
  public Optional<OutFrame> mark(String name) {
    ObjectNode out = JsonFrames.object();
    out.put("event", "mark");
    out.put("name", name);
    return Optional.of(OutFrame.text(out.toString()));
  }
}
