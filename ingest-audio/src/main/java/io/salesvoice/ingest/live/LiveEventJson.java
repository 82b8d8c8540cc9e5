package io.salesvoice.ingest.live;

import io.salesvoice.schema.dialog.DialogTurn;
import io.salesvoice.schema.transcript.Transcript;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** What the browser sees of a transcript or a dialog turn: the fields a person watching the call needs, as JSON. */
final class LiveEventJson {

  private LiveEventJson() {
  }

  static Map<String, Object> transcript(Transcript t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("callId", t.getCallId());
    m.put("utteranceId", t.getUtteranceId());
    m.put("text", t.getText());
    m.put("isFinal", t.getIsFinal());
    m.put("language", t.getLanguage());
    m.put("confidence", t.getConfidence());
    m.put("startMs", t.getStartMs());
    m.put("endMs", t.getEndMs());
    m.put("engine", t.getEngine());
    m.put("channel", String.valueOf(t.getChannel()));
    m.put("speechEndedAt", t.getSpeechEndedAt() == null ? null : t.getSpeechEndedAt().toEpochMilli());
    m.put("producedAt", t.getProducedAt() == null ? null : t.getProducedAt().toEpochMilli());
    return m;
  }

  static Map<String, Object> turn(DialogTurn d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("callId", d.getCallId());
    m.put("turnId", d.getTurnId());
    m.put("chunkIndex", d.getChunkIndex());
    m.put("text", d.getText());
    m.put("lastChunk", d.getLastChunk());
    m.put("action", String.valueOf(d.getAction()));
    m.put("state", d.getState());
    m.put("intent", d.getIntent());
    Map<String, String> slots = new TreeMap<>();
    if (d.getSlots() != null) {
      d.getSlots().forEach((k, v) -> slots.put(String.valueOf(k), String.valueOf(v)));
    }
    m.put("slots", slots);
    m.put("language", d.getLanguage());
    m.put("inReplyTo", d.getInReplyTo());
    m.put("producedAt", d.getProducedAt() == null ? null : d.getProducedAt().toEpochMilli());
    return m;
  }
}
