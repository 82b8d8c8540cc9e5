package io.salesvoice.simulators.qa;

import com.fasterxml.jackson.databind.JsonNode;
import io.salesvoice.platform.logging.Redaction;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code ./sva replay} found, written as {@code report.json} and rendered as {@code report.html}: one entry per
 * recording (its replay, the analytics view of its call) and totals. Phone numbers in free text are masked here, so
 * neither rendering can leak them.
 */
public record ReplayReport(String generatedAt, String runId, double speed, String language, List<CallReport> calls,
                           Totals totals) {

  /** The pipeline's stages in the order a customer's words travel through them. */
  public static final List<String> STAGES = List.of("speechEndToTranscript", "transcriptToFirstTurn",
      "turnToFirstAudio", "speechEndToFirstAudio");

  /** Complete: the call ended and its view stopped changing; incomplete: the wait ran out; failed: no replay. */
  public enum Status { COMPLETE, INCOMPLETE, FAILED }

  public static ReplayReport of(String runId, double speed, String language, List<CallReport> calls) {
    return new ReplayReport(Instant.now().toString(), runId, speed, language, List.copyOf(calls), Totals.of(calls));
  }

  /** One replayed recording. */
  public record CallReport(String file, String replayId, String callId, String campaignId, Status status,
                           String error, Long durationMs, Integer channels, String outcome, String endReason,
                           Talk talk, List<StageLatency> latency, Double qaScore, List<String> qaReasons,
                           List<String> statesVisited, Map<String, String> slots, int bargeIns, List<Turn> turns) {

    /** A recording that never became a call (refused upload, failed replay). */
    public static CallReport failed(String file, JsonNode replay, String error) {
      return new CallReport(file, text(replay, "id"), text(replay, "callId"), null, Status.FAILED,
          mask(error), number(replay, "durationMs"), replay == null || !replay.has("channels") ? null
          : replay.path("channels").asInt(), null, null, new Talk(0, 0, null), List.of(), null, List.of(), List.of(),
          Map.of(), 0, List.of());
    }

    /**
     * A call from its replay status, the analytics call view ({@code GET /api/analytics/calls/{id}}, may be null) and
     * its replay campaign's view ({@code GET /api/analytics/campaigns/{id}?replay=true}, may be null).
     */
    public static CallReport of(String file, String campaignId, JsonNode replay, JsonNode view, JsonNode campaign,
                                Status status, String error) {
      JsonNode v = view == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : view;
      long agent = v.path("agentTalkMs").asLong(0);
      long customer = v.path("customerTalkMs").asLong(0);
      Talk talk = new Talk(agent, customer, agent + customer == 0 ? null : (double) agent / (agent + customer));
      List<String> reasons = new ArrayList<>();
      v.path("qaReasons").forEach(r -> reasons.add(mask(r.asText())));
      List<String> states = new ArrayList<>();
      v.path("statesVisited").forEach(s -> states.add(s.asText()));
      Map<String, String> slots = new TreeMap<>();
      v.path("slots").fields().forEachRemaining(e -> slots.put(e.getKey(), mask(e.getValue().asText())));
      return new CallReport(file, text(replay, "id"), text(replay, "callId") != null ? text(replay, "callId")
          : text(view, "callId"), campaignId, status, mask(error), number(replay, "durationMs"),
          replay == null || !replay.has("channels") ? null : replay.path("channels").asInt(), text(view, "outcome"),
          text(view, "endReason"), talk, latency(v.path("latencyMs"), campaign), v.path("qaScore").isNumber()
          ? v.path("qaScore").asDouble() : null, reasons, states, slots, v.path("bargeIns").asInt(0), turns(v));
    }

    private static List<Turn> turns(JsonNode view) {
      Instant start = instant(view.path("startedAt").asText(null));
      List<Turn> turns = new ArrayList<>();
      for (JsonNode e : view.path("timeline")) {
        Instant at = instant(e.path("at").asText(null));
        if (start == null) {
          start = at;
        }
        long offset = at == null || start == null ? 0 : Math.max(0, at.toEpochMilli() - start.toEpochMilli());
        turns.add(new Turn(offset, e.path("at").asText(null), e.path("speaker").asText("?"),
            mask(e.path("text").asText("")), e.path("state").isTextual()
            ? e.path("state").asText() : null));
      }
      return turns;
    }

    /** Mean and worst from the call view; count and percentiles, where known, from the call's own replay campaign. */
    private static List<StageLatency> latency(JsonNode latencyMs, JsonNode campaign) {
      Map<String, JsonNode> percentiles = new TreeMap<>();
      if (campaign != null) {
        for (JsonNode l : campaign.path("total").path("latency")) {
          if ("*".equals(l.path("engine").asText())) {
            percentiles.put(l.path("stage").asText(), l);
          }
        }
      }
      List<String> stages = new ArrayList<>();
      Iterator<String> names = latencyMs.fieldNames();
      while (names.hasNext()) {
        String n = names.next();
        if (!n.endsWith(".max") && !stages.contains(n)) {
          stages.add(n);
        }
      }
      percentiles.keySet().forEach(n -> {
        if (!stages.contains(n)) {
          stages.add(n);
        }
      });
      stages.sort((a, b) -> Integer.compare(order(a), order(b)));
      List<StageLatency> out = new ArrayList<>();
      for (String stage : stages) {
        JsonNode p = percentiles.get(stage);
        out.add(new StageLatency(stage, number(latencyMs, stage), number(latencyMs, stage + ".max"),
            p == null ? null : p.path("count").asLong(), p == null ? null : p.path("p50Ms").asLong(),
            p == null ? null : p.path("p90Ms").asLong(), p == null ? null : p.path("p99Ms").asLong()));
      }
      return out;
    }
  }

  /** Who talked how long; {@code agentRatio} is the agent's share of all speech, null when nobody spoke. */
  public record Talk(long agentMs, long customerMs, Double agentRatio) {
  }

  /** One stage's latency in one call (or over all calls in the totals); null where not measured. */
  public record StageLatency(String stage, Long meanMs, Long maxMs, Long count, Long p50Ms, Long p90Ms, Long p99Ms) {
  }

  /** One line of the call's timeline: who said (or what happened) how far into the call. */
  public record Turn(long offsetMs, String at, String speaker, String text, String state) {
  }

  /** Figures over every call of the run. */
  public record Totals(int calls, int complete, int incomplete, int failed, long recordedMs, long agentMs,
                       long customerMs, Double agentRatio, Double averageQaScore, Double minQaScore,
                       List<StageLatency> latency) {

    static Totals of(List<CallReport> calls) {
      int complete = 0;
      int incomplete = 0;
      int failed = 0;
      long recorded = 0;
      long agent = 0;
      long customer = 0;
      double scoreSum = 0;
      int scored = 0;
      Double min = null;
      Map<String, long[]> stages = new TreeMap<>((a, b) -> order(a) != order(b) ? Integer.compare(order(a), order(b))
          : a.compareTo(b));
      for (CallReport c : calls) {
        switch (c.status()) {
          case COMPLETE -> complete++;
          case INCOMPLETE -> incomplete++;
          case FAILED -> failed++;
          default -> throw new IllegalStateException();
        }
        recorded += c.durationMs() == null ? 0 : c.durationMs();
        agent += c.talk().agentMs();
        customer += c.talk().customerMs();
        if (c.qaScore() != null) {
          scoreSum += c.qaScore();
          scored++;
          min = min == null ? c.qaScore() : Math.min(min, c.qaScore());
        }
        for (StageLatency l : c.latency()) {
          long[] a = stages.computeIfAbsent(l.stage(), k -> new long[] {0, 0, -1});
          long n = l.count() != null && l.count() > 0 ? l.count() : 1;
          if (l.meanMs() != null) {
            a[0] += l.meanMs() * n;
            a[1] += n;
          }
          if (l.maxMs() != null) {
            a[2] = Math.max(a[2], l.maxMs());
          }
        }
      }
      List<StageLatency> latency = new ArrayList<>();
      stages.forEach((stage, a) -> latency.add(new StageLatency(stage, a[1] == 0 ? null : a[0] / a[1],
          a[2] < 0 ? null : a[2], a[1], null, null, null)));
      return new Totals(calls.size(), complete, incomplete, failed, recorded, agent, customer,
          agent + customer == 0 ? null : (double) agent / (agent + customer), scored == 0 ? null : scoreSum / scored,
          min, latency);
    }
  }

  /**
   * A phone-number-like run of digits, standing on its own: not a piece of an id such as a replay's UUID
   * ({@code …-9a499427976b}), which platform's looser log pattern would mask too.
   */
  private static final Pattern PHONE = Pattern.compile("(?<![\\w-])\\+?\\d[\\d\\s()\\-]{6,}\\d(?![\\w-])");

  /** Free text with its phone numbers masked as platform's {@link Redaction#maskPhone} does. */
  static String mask(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = PHONE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(Redaction.maskPhone(m.group())));
    }
    m.appendTail(out);
    return out.toString();
  }

  static int order(String stage) {
    int i = STAGES.indexOf(stage);
    return i < 0 ? STAGES.size() : i;
  }

  private static String text(JsonNode node, String field) {
    return node == null || !node.path(field).isTextual() ? null : node.path(field).asText();
  }

  private static Long number(JsonNode node, String field) {
    return node == null || !node.path(field).isNumber() ? null : node.path(field).asLong();
  }

  private static Instant instant(String iso) {
    if (iso == null) {
      return null;
    }
    try {
      return Instant.parse(iso);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
