package io.salesvoice.simulators.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The demo's summary as a person reads it: calls, outcomes, CRM writes and latency, with where the figures come from. */
public final class DemoSummary {

  private DemoSummary() {
  }

  /** Voice-to-voice latencies (ms) of every agent answer the simulated callees heard. */
  public static List<Long> voiceToVoice(List<JsonNode> calls) {
    List<Long> all = new ArrayList<>();
    for (JsonNode call : calls) {
      for (JsonNode turn : call.path("turns")) {
        JsonNode v = turn.path("voiceToVoiceMs");
        if (v.isNumber()) {
          all.add(v.asLong());
        }
      }
    }
    all.sort(Long::compare);
    return all;
  }

  /** The {@code p}-th percentile (nearest rank) of sorted values; -1 when there are none. */
  public static long percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  public static String format(DemoCampaign.Result r) {
    StringBuilder s = new StringBuilder();
    long seconds = r.elapsed().toSeconds();
    s.append(String.format("Demo campaign %s: %d leads (+%d on the do-not-call list), %s in %d min %02d s%n",
        r.campaignId(), r.leads().size(), r.doNotCall().size(), r.finished() ? "finished" : "NOT finished",
        seconds / 60, seconds % 60));
    s.append("  Every call is simulated: fictional 555 numbers, callees played by the simulated carrier.\n");
    row(s, "Calls placed", r.dialerStatus().path("attempts").asInt(0) + " (retries included)");
    row(s, "Leads", counts(r.dialerStatus().path("leadsByState")));
    row(s, "Call results", counts(r.dialerStatus().path("outcomes")));
    JsonNode total = r.analytics().path("total");
    row(s, "Conversations", total.isMissingNode() ? "analytics unavailable: " + r.analytics().path("unavailable").asText()
        : counts(total.path("outcomes")) + "  (analytics)");
    Map<String, Map<String, Integer>> byPersona = new TreeMap<>();
    for (JsonNode call : r.simulatedCalls()) {
      String persona = call.path("persona").asText("?");
      String outcome = call.path("outcome").asText(call.path("state").asText("?"));
      byPersona.computeIfAbsent(persona, p -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
    }
    byPersona.forEach((persona, outcomes) -> row(s, "  " + persona, outcomes.toString()));
    JsonNode crm = r.crm();
    row(s, "CRM writes", crm.has("unavailable") ? "simulated portal unavailable: " + crm.path("unavailable").asText()
        : String.format("%d leads, %d calls, %d activities, %d comments  (simulated Bitrix24 portal: %d requests, "
            + "%d rate-limit answers)", crm.path("leads").asInt(), crm.path("calls").asInt(),
            crm.path("activities").asInt(), crm.path("comments").asInt(), crm.path("requests").asInt(),
            crm.path("limitAnswers").asInt()));
    List<Long> v2v = voiceToVoice(r.simulatedCalls());
    row(s, "Voice-to-voice", v2v.isEmpty() ? "no agent answer was heard"
        : String.format("p50 %d ms, p95 %d ms over %d answers (end of the callee's speech → first agent audio, as the "
            + "callee heard it; end-of-turn silence included)", percentile(v2v, 50), percentile(v2v, 95), v2v.size()));
    List<String> stages = new ArrayList<>();
    for (JsonNode l : total.path("latency")) {
      if ("*".equals(l.path("engine").asText()) || "stt+dialog".equals(l.path("engine").asText())) {
        stages.add(String.format("%s %d/%d/%d", l.path("stage").asText(), l.path("p50Ms").asLong(),
            l.path("p90Ms").asLong(), l.path("p99Ms").asLong()));
      }
    }
    row(s, "Stage latency", stages.isEmpty() ? "not yet in analytics" : "p50/p90/p99 ms: " + String.join(", ", stages));
    return s.toString();
  }

  private static void row(StringBuilder s, String label, String value) {
    s.append(String.format("  %-20s %s%n", label, value));
  }

  private static String counts(JsonNode object) {
    List<String> parts = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = object.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      parts.add(e.getKey() + " " + e.getValue().asText());
    }
    return parts.isEmpty() ? "none" : String.join(", ", parts);
  }
}
