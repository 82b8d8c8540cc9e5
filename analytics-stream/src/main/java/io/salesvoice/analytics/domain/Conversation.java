package io.salesvoice.analytics.domain;

import io.salesvoice.analytics.state.CallState;
import io.salesvoice.analytics.state.SystemEntry;
import io.salesvoice.analytics.state.Turn;
import io.salesvoice.analytics.state.Utterance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads a call's state as a conversation: who spoke when and for how long, and how long each stage took. */
public final class Conversation {

  public static final String CUSTOMER = "CUSTOMER";
  public static final String AGENT = "AGENT";
  public static final String SYSTEM = "SYSTEM";

  public static final String SPEECH_END_TO_TRANSCRIPT = "speechEndToTranscript";
  public static final String TRANSCRIPT_TO_FIRST_TURN = "transcriptToFirstTurn";
  public static final String TURN_TO_FIRST_AUDIO = "turnToFirstAudio";
  public static final String SPEECH_END_TO_FIRST_AUDIO = "speechEndToFirstAudio";
  /** AudioChunk names no engine: the synthesis stage is tagged with this until it does. */
  public static final String UNKNOWN_ENGINE = "unknown";

  /** Spoken text is about 15 characters a second: the agent's talk time when its audio was not seen. */
  static final long MS_PER_CHARACTER = 65;

  /** One line of the timeline; {@code endAt} is when the speech ended (equal to {@code at} for system entries). */
  public record Entry(long at, long endAt, String speaker, String text, String state) {
  }

  /** One measured stage of one utterance's round trip. */
  public record LatencySample(String id, String stage, String engine, long at, long millis) {
  }

  private Conversation() {
  }

  /** Everything said and done in the call, in time order. */
  public static List<Entry> timeline(CallState s) {
    List<Entry> entries = new ArrayList<>();
    for (SystemEntry e : s.getSystem()) {
      entries.add(new Entry(e.getAt(), e.getAt(), SYSTEM, e.getText(), null));
    }
    for (var c : s.getCrm()) {
      entries.add(new Entry(c.getAt(), c.getAt(), SYSTEM, "CRM " + c.getCommandType() + " " + c.getStatus(), null));
    }
    addSpeech(s, entries);
    entries.sort(Comparator.comparingLong(Entry::at));
    return entries;
  }

  /** Who spoke when, in time order: the timeline without system entries. */
  static List<Entry> speech(CallState s) {
    List<Entry> entries = new ArrayList<>(s.getUtterances().size() + s.getTurns().size());
    addSpeech(s, entries);
    entries.sort(Comparator.comparingLong(Entry::at));
    return entries;
  }

  private static void addSpeech(CallState s, List<Entry> entries) {
    for (Utterance u : s.getUtterances()) {
      long length = Math.max(0, u.getEndMs() - u.getStartMs());
      long at = s.getStartedAt() != null ? s.getStartedAt() + u.getStartMs()
          : (u.getSpeechEndedAt() != null ? u.getSpeechEndedAt() : u.getProducedAt()) - length;
      entries.add(new Entry(at, at + length, AGENT.equals(u.getChannel()) ? AGENT : CUSTOMER, u.getText(), null));
    }
    for (Turn t : s.getTurns()) {
      if (t.getChunks().isEmpty()) {
        continue;
      }
      long at = t.getFirstAudioAt() != null ? t.getFirstAudioAt() : t.getFirstChunkAt();
      entries.add(new Entry(at, at + agentMs(t), AGENT, text(t), t.getState()));
    }
  }

  /** The turn's sentences in their order, however they arrived. */
  public static String text(Turn t) {
    if (t.getChunks().size() == 1) {
      return t.getChunks().values().iterator().next();
    }
    TreeMap<Integer, String> byIndex = new TreeMap<>();
    t.getChunks().forEach((i, text) -> byIndex.put(Integer.parseInt(i), text));
    return String.join(" ", byIndex.values());
  }

  static long agentMs(Turn t) {
    if (t.getAudioMs() > 0) {
      return t.getAudioMs();
    }
    long chars = 0;
    for (String text : t.getChunks().values()) {
      chars += text.length();
    }
    return chars * MS_PER_CHARACTER;
  }

  public static long customerTalkMs(CallState s) {
    long ms = 0;
    for (Utterance u : s.getUtterances()) {
      if (!AGENT.equals(u.getChannel())) {
        ms += Math.max(0, u.getEndMs() - u.getStartMs());
      }
    }
    return ms;
  }

  /** The assistant's audio (or its text's length) plus, on replayed stereo recordings, the human agent's speech. */
  public static long agentTalkMs(CallState s) {
    long ms = 0;
    for (Utterance u : s.getUtterances()) {
      if (AGENT.equals(u.getChannel())) {
        ms += Math.max(0, u.getEndMs() - u.getStartMs());
      }
    }
    for (Turn t : s.getTurns()) {
      ms += agentMs(t);
    }
    return ms;
  }

  /** How long the line was open for a conversation: the ended event's duration, else answer to last record. */
  public static long talkMs(CallState s) {
    if (s.getDurationMs() != null && s.getDurationMs() > 0) {
      return s.getDurationMs();
    }
    Long from = s.getAnsweredAt() != null ? s.getAnsweredAt() : s.getStartedAt();
    long to = s.getEndedAt() != null ? s.getEndedAt() : s.getLastEventAt();
    return from == null ? 0 : Math.max(0, to - from);
  }

  /** Silences longer than {@code minGapMs} between the end of one speech and the start of the next. */
  public static List<long[]> silenceGaps(CallState s, long minGapMs) {
    List<Entry> speech = speech(s);
    List<long[]> gaps = new ArrayList<>();
    long lastEnd = Long.MIN_VALUE;
    for (Entry e : speech) {
      if (lastEnd != Long.MIN_VALUE && e.at() - lastEnd > minGapMs) {
        gaps.add(new long[] {lastEnd, e.at()});
      }
      lastEnd = Math.max(lastEnd, e.endAt());
    }
    return gaps;
  }

  /** Every stage measurable so far; the id names a sample uniquely so it is counted once. */
  public static List<LatencySample> latencies(CallState s) {
    List<LatencySample> samples = new ArrayList<>();
    for (Utterance u : s.getUtterances()) {
      if (AGENT.equals(u.getChannel())) {
        continue;
      }
      Long speechEnd = u.getSpeechEndedAt();
      long at = speechEnd != null ? speechEnd : u.getProducedAt();
      if (speechEnd != null) {
        samples.add(new LatencySample(u.getUtteranceId() + "/" + SPEECH_END_TO_TRANSCRIPT, SPEECH_END_TO_TRANSCRIPT,
            u.getEngine(), at, u.getProducedAt() - speechEnd));
      }
      Turn reply = replyTo(s, u.getUtteranceId());
      if (reply == null || reply.getFirstChunkAt() == null) {
        continue;
      }
      String dialogEngine = reply.getEngine() == null ? UNKNOWN_ENGINE : reply.getEngine();
      samples.add(new LatencySample(u.getUtteranceId() + "/" + TRANSCRIPT_TO_FIRST_TURN, TRANSCRIPT_TO_FIRST_TURN,
          dialogEngine, at, reply.getFirstChunkAt() - u.getProducedAt()));
      if (reply.getFirstAudioAt() != null) {
        samples.add(new LatencySample(u.getUtteranceId() + "/" + TURN_TO_FIRST_AUDIO, TURN_TO_FIRST_AUDIO,
            UNKNOWN_ENGINE, at, reply.getFirstAudioAt() - reply.getFirstChunkAt()));
        if (speechEnd != null) {
          samples.add(new LatencySample(u.getUtteranceId() + "/" + SPEECH_END_TO_FIRST_AUDIO, SPEECH_END_TO_FIRST_AUDIO,
              u.getEngine() + "+" + dialogEngine, at, reply.getFirstAudioAt() - speechEnd));
        }
      }
    }
    return samples.stream().map(x -> x.millis() < 0
        ? new LatencySample(x.id(), x.stage(), x.engine(), x.at(), 0) : x).toList();
  }

  /** Per stage, the call's mean latency in milliseconds (and the worst, under {@code <stage>.max}). */
  public static Map<String, Long> latencySummary(CallState s) {
    Map<String, long[]> acc = new TreeMap<>();
    for (LatencySample x : latencies(s)) {
      long[] a = acc.computeIfAbsent(x.stage(), k -> new long[3]);
      a[0] += x.millis();
      a[1]++;
      a[2] = Math.max(a[2], x.millis());
    }
    Map<String, Long> out = new TreeMap<>();
    acc.forEach((stage, a) -> {
      out.put(stage, a[0] / a[1]);
      out.put(stage + ".max", a[2]);
    });
    return out;
  }

  private static Turn replyTo(CallState s, String utteranceId) {
    for (Turn t : s.getTurns()) {
      if (utteranceId.equals(t.getInReplyTo())) {
        return t;
      }
    }
    return null;
  }
}
