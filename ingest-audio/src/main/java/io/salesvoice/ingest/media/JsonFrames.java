package io.salesvoice.ingest.media;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.salesvoice.ingest.audio.AudioFormat;
import io.salesvoice.ingest.audio.UnsupportedAudioException;
import io.salesvoice.schema.audio.AudioCodec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Parsing shared by the JSON media protocols: frames, base64 payloads, encodings and custom parameters. */
final class JsonFrames {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonFrames() {
  }

  static JsonNode parse(String frame) {
    try {
      JsonNode node = MAPPER.readTree(frame);
      if (node == null || !node.isObject()) {
        throw MediaProtocolException.malformed("frame is not a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw MediaProtocolException.malformed("frame is not valid JSON: " + e.getOriginalMessage());
    }
  }

  static String event(JsonNode frame) {
    JsonNode event = frame.get("event");
    if (event == null || !event.isTextual()) {
      throw MediaProtocolException.malformed("frame has no \"event\" field");
    }
    return event.asText();
  }

  static byte[] payload(JsonNode media) {
    JsonNode payload = media == null ? null : media.get("payload");
    if (payload == null || !payload.isTextual()) {
      throw MediaProtocolException.malformed("media frame has no base64 \"payload\"");
    }
    try {
      return Base64.getDecoder().decode(payload.asText());
    } catch (IllegalArgumentException e) {
      throw MediaProtocolException.malformed("media payload is not valid base64");
    }
  }

  static Map<String, String> stringMap(JsonNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node != null && node.isObject()) {
      node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isTextual()
          ? e.getValue().asText() : e.getValue().toString()));
    }
    return out;
  }

  /** Maps the encodings telephony providers name (MIME types, G.711 names, Voximplant's tags) to a format. */
  static AudioFormat format(String encoding, int sampleRate) {
    String e = encoding == null ? "" : encoding.toLowerCase(Locale.ROOT);
    AudioCodec codec = switch (e) {
      case "audio/x-mulaw", "audio/pcmu", "mulaw", "ulaw", "pcmu", "g711_ulaw" -> AudioCodec.MULAW;
      case "audio/x-alaw", "audio/pcma", "alaw", "pcma", "g711_alaw" -> AudioCodec.ALAW;
      case "audio/l16", "pcm16", "l16", "linear16", "pcm16_8khz", "pcm16_16khz" -> AudioCodec.PCM16;
      default -> throw MediaProtocolException.unsupported("unknown_codec",
          "unsupported encoding '" + encoding + "': use audio/x-mulaw, audio/x-alaw or PCM16");
    };
    int rate = sampleRate > 0 ? sampleRate : e.endsWith("_16khz") ? 16000 : 8000;
    try {
      return new AudioFormat(codec, rate);
    } catch (UnsupportedAudioException ex) {
      throw MediaProtocolException.unsupported("unsupported_sample_rate", ex.getMessage());
    }
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }
}
