package io.salesvoice.simulators.qa;

import io.salesvoice.simulators.qa.ReplayReport.CallReport;
import io.salesvoice.simulators.qa.ReplayReport.StageLatency;
import io.salesvoice.simulators.qa.ReplayReport.Turn;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link ReplayReport} as one self-contained HTML page — inline CSS and SVG charts drawn here, no script, no
 * font, nothing fetched when it is opened (QA machines may have no internet) — with every text escaped.
 */
public final class HtmlReport {

  private static final int WIDTH = 960;
  private static final int LABEL = 230;
  private static final int BAR = 430;
  private static final int ROW = 26;
  private static final String AGENT = "#3566c8";
  private static final String CUSTOMER = "#e58a2b";

  private HtmlReport() {
  }

  public static String render(ReplayReport r) {
    StringBuilder h = new StringBuilder(16_384);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>Replay QA report ").append(esc(r.runId())).append("</title>\n<style>\n")
        .append("body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:24px auto;")
        .append("max-width:1000px;color:#1d2430;padding:0 16px}\n")
        .append("h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #dde2ea;")
        .append("padding-bottom:4px}h3{font-size:16px;margin:22px 0 6px}\n")
        .append(".muted{color:#65707f}.cards{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0}")
        .append(".card{border:1px solid #dde2ea;border-radius:6px;padding:8px 12px;min-width:120px}")
        .append(".card b{display:block;font-size:20px}\n")
        .append("table{border-collapse:collapse;width:100%;margin:6px 0 10px}td,th{border-bottom:1px solid #eceff4;")
        .append("padding:4px 8px;text-align:left;vertical-align:top}th{background:#f5f7fa;font-weight:600}\n")
        .append("td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n")
        .append(".AGENT{color:").append(AGENT).append(";font-weight:600}.CUSTOMER{color:#b8650f;font-weight:600}")
        .append(".SYSTEM{color:#65707f}\n")
        .append(".status{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600}")
        .append(".COMPLETE{background:#e3f4e6;color:#1f7a35}.INCOMPLETE{background:#fff2d6;color:#8a5a00}")
        .append(".FAILED{background:#fde3e3;color:#a11d1d}.error{color:#a11d1d}\n")
        .append("svg{display:block;margin:6px 0 4px;max-width:100%;height:auto}svg text{font:12px system-ui,sans-serif;")
        .append("fill:#1d2430}.legend span{display:inline-block;width:12px;height:12px;margin:0 4px -2px 12px}\n")
        .append("</style></head><body>\n");
    h.append("<h1>Replay QA report</h1>\n<p class=\"muted\">Run ").append(esc(r.runId())).append(", generated ")
        .append(esc(r.generatedAt())).append(", replay speed ").append(esc(speed(r.speed())))
        .append(r.language() == null ? "" : ", language " + esc(r.language()))
        .append(". Replayed calls are marked REPLAY in the pipeline: kept apart from live figures, never written to "
            + "the CRM.</p>\n");
    totals(h, r.totals());
    h.append("<h2>Talk ratio</h2>\n");
    talkChart(h, r.calls());
    h.append("<h2>Latency per stage</h2>\n");
    latencyChart(h, r.calls());
    h.append("<h2>QA score</h2>\n");
    scoreChart(h, r.calls());
    h.append("<h2>Calls</h2>\n");
    for (int i = 0; i < r.calls().size(); i++) {
      call(h, i + 1, r.calls().get(i), r.speed() == 0 || r.speed() > 1);
    }
    h.append("</body></html>\n");
    return h.toString();
  }

  private static void totals(StringBuilder h, ReplayReport.Totals t) {
    h.append("<div class=\"cards\">");
    card(h, "calls", t.calls() + "", t.complete() + " complete, " + t.incomplete() + " incomplete, " + t.failed()
        + " failed");
    card(h, "recorded audio", seconds(t.recordedMs()), "over all recordings");
    card(h, "agent talk ratio", t.agentRatio() == null ? "—" : percent(t.agentRatio()), "agent "
        + seconds(t.agentMs()) + ", customer " + seconds(t.customerMs()));
    card(h, "average QA score", t.averageQaScore() == null ? "—" : String.format(Locale.ROOT, "%.0f",
        t.averageQaScore()), t.minQaScore() == null ? "no score" : String.format(Locale.ROOT, "lowest %.0f",
        t.minQaScore()));
    for (StageLatency l : t.latency()) {
      card(h, l.stage(), l.meanMs() == null ? "—" : l.meanMs() + " ms", "mean"
          + (l.maxMs() == null ? "" : ", worst " + l.maxMs() + " ms"));
    }
    h.append("</div>\n");
  }

  private static void card(StringBuilder h, String label, String value, String note) {
    h.append("<div class=\"card\"><span class=\"muted\">").append(esc(label)).append("</span><b>").append(esc(value))
        .append("</b><span class=\"muted\">").append(esc(note)).append("</span></div>");
  }

  private static void talkChart(StringBuilder h, List<CallReport> calls) {
    h.append("<p class=\"legend muted\">Share of the speech time<span style=\"background:").append(AGENT)
        .append("\"></span>agent<span style=\"background:").append(CUSTOMER).append("\"></span>customer</p>\n");
    int height = calls.size() * ROW + 8;
    h.append(svgOpen("talk-ratio-chart", height, "Talk ratio, agent and customer, per call"));
    int y = 4;
    for (int i = 0; i < calls.size(); i++) {
      CallReport c = calls.get(i);
      label(h, i + 1, c, y);
      var t = c.talk();
      if (t.agentRatio() == null) {
        rect(h, LABEL, y + 3, BAR, ROW - 8, "#e6e9ef", "no speech transcribed");
        text(h, LABEL + BAR + 10, y + ROW / 2 + 4, c.status() == ReplayReport.Status.FAILED ? "not replayed"
            : "no speech transcribed");
      } else {
        int agent = (int) Math.round(t.agentRatio() * BAR);
        rect(h, LABEL, y + 3, agent, ROW - 8, AGENT, "agent " + percent(t.agentRatio()) + ", " + seconds(t.agentMs()));
        rect(h, LABEL + agent, y + 3, BAR - agent, ROW - 8, CUSTOMER, "customer " + percent(1 - t.agentRatio()) + ", "
            + seconds(t.customerMs()));
        text(h, LABEL + BAR + 10, y + ROW / 2 + 4, "agent " + percent(t.agentRatio()) + " (" + seconds(t.agentMs())
            + ") · customer " + percent(1 - t.agentRatio()) + " (" + seconds(t.customerMs()) + ")");
      }
      y += ROW;
    }
    h.append("</svg>\n");
  }

  private static void latencyChart(StringBuilder h, List<CallReport> calls) {
    long scale = 1;
    int rows = 0;
    for (CallReport c : calls) {
      for (StageLatency l : c.latency()) {
        scale = Math.max(scale, Math.max(high(l), low(l)));
        rows++;
      }
    }
    h.append("<p class=\"legend muted\">Per call and stage, from the timestamps the records carry: dark = p50 "
        + "(mean where no percentile is known), light = p90 (worst)<span style=\"background:#2f855a\"></span>p50"
        + "<span style=\"background:#9ad4b0\"></span>p90</p>\n");
    if (rows == 0) {
      h.append("<p class=\"muted\" id=\"latency-chart\">No stage latency was measured (no transcript reached "
          + "analytics).</p>\n");
      return;
    }
    int height = rows * ROW + calls.size() * 6 + 8;
    h.append(svgOpen("latency-chart", height, "Latency per stage, p50 and p90, per call"));
    int y = 4;
    for (int i = 0; i < calls.size(); i++) {
      CallReport c = calls.get(i);
      for (StageLatency l : c.latency()) {
        text(h, 4, y + ROW / 2 + 4, clip("#" + (i + 1) + " " + l.stage(), 34));
        int hi = (int) Math.round((double) high(l) / scale * BAR);
        int lo = (int) Math.round((double) low(l) / scale * BAR);
        rect(h, LABEL, y + 4, Math.max(1, hi), ROW - 10, "#9ad4b0", "p90 " + high(l) + " ms");
        rect(h, LABEL, y + 4, Math.max(1, lo), ROW - 10, "#2f855a", "p50 " + low(l) + " ms");
        text(h, LABEL + BAR + 10, y + ROW / 2 + 4, describe(l));
        y += ROW;
      }
      y += 6;
    }
    h.append("</svg>\n");
  }

  private static void scoreChart(StringBuilder h, List<CallReport> calls) {
    int height = calls.size() * ROW + 26;
    h.append(svgOpen("qa-score-chart", height, "QA score per call, 0 to 100"));
    for (int tick = 0; tick <= 100; tick += 25) {
      int x = LABEL + tick * BAR / 100;
      h.append("<line x1=\"").append(x).append("\" y1=\"2\" x2=\"").append(x).append("\" y2=\"")
          .append(height - 18).append("\" stroke=\"#e3e7ee\"/>");
      text(h, x - 6, height - 4, Integer.toString(tick));
    }
    int y = 4;
    for (int i = 0; i < calls.size(); i++) {
      CallReport c = calls.get(i);
      label(h, i + 1, c, y);
      if (c.qaScore() == null) {
        text(h, LABEL + 6, y + ROW / 2 + 4, "no score");
      } else {
        double s = Math.max(0, Math.min(100, c.qaScore()));
        String color = s >= 80 ? "#2f9e44" : s >= 60 ? "#e0a100" : "#d64545";
        rect(h, LABEL, y + 3, (int) Math.round(s * BAR / 100), ROW - 8, color, String.format(Locale.ROOT, "%.0f", s));
        text(h, LABEL + BAR + 10, y + ROW / 2 + 4, String.format(Locale.ROOT, "%.0f / 100", s)
            + (c.qaReasons().isEmpty() ? "" : " · " + c.qaReasons().size() + " reason(s) below"));
      }
      y += ROW;
    }
    h.append("</svg>\n<ul id=\"qa-reasons\">\n");
    for (int i = 0; i < calls.size(); i++) {
      CallReport c = calls.get(i);
      h.append("<li><b>#").append(i + 1).append(' ').append(esc(c.file())).append("</b>: ");
      if (c.qaScore() == null) {
        h.append("no score");
      } else if (c.qaReasons().isEmpty()) {
        h.append("nothing taken off");
      } else {
        h.append("<ul>");
        c.qaReasons().forEach(reason -> h.append("<li>").append(esc(reason)).append("</li>"));
        h.append("</ul>");
      }
      h.append("</li>\n");
    }
    h.append("</ul>\n");
  }

  private static void call(StringBuilder h, int n, CallReport c, boolean fast) {
    h.append("<h3 id=\"call-").append(n).append("\">#").append(n).append(' ').append(esc(c.file()))
        .append(" <span class=\"status ").append(c.status().name()).append("\">").append(c.status().name())
        .append("</span></h3>\n");
    if (c.error() != null) {
      h.append("<p class=\"error\">").append(esc(c.error())).append("</p>\n");
    }
    h.append("<table class=\"facts\">");
    fact(h, "call id", c.callId());
    fact(h, "replay id", c.replayId());
    fact(h, "replay campaign", c.campaignId());
    fact(h, "recording", c.durationMs() == null ? null : seconds(c.durationMs())
        + (c.channels() == null ? "" : c.channels() == 2 ? ", stereo (agent and customer)" : ", mono (customer)"));
    fact(h, "outcome", c.outcome());
    fact(h, "end reason", c.endReason());
    fact(h, "script states visited", c.statesVisited().isEmpty() ? "none" : String.join(" → ", c.statesVisited()));
    if (!c.slots().isEmpty()) {
      StringBuilder slots = new StringBuilder();
      for (Map.Entry<String, String> e : c.slots().entrySet()) {
        slots.append(slots.length() == 0 ? "" : ", ").append(e.getKey()).append(" = ").append(e.getValue());
      }
      fact(h, "slots", slots.toString());
    }
    fact(h, "barge-ins", Integer.toString(c.bargeIns()));
    h.append("</table>\n");
    if (!c.latency().isEmpty()) {
      h.append("<table class=\"latency\"><tr><th>stage</th><th>samples</th><th>p50</th><th>p90</th><th>p99</th>")
          .append("<th>mean</th><th>worst</th></tr>\n");
      for (StageLatency l : c.latency()) {
        h.append("<tr><td>").append(esc(l.stage())).append("</td>");
        Long[] values = {l.count(), l.p50Ms(), l.p90Ms(), l.p99Ms(), l.meanMs(), l.maxMs()};
        for (int i = 0; i < values.length; i++) {
          h.append("<td class=\"num\">").append(values[i] == null ? "—" : i == 0 ? values[i].toString()
              : values[i] + " ms").append("</td>");
        }
        h.append("</tr>\n");
      }
      h.append("</table>\n");
    }
    if (c.turns().isEmpty()) {
      h.append("<p class=\"muted\">No timeline.</p>\n");
      return;
    }
    if (fast) {
      h.append("<p class=\"muted\">Speech is placed at its time in the recording; the replay's own events (start, "
          + "end) happened faster than that, as it was sent as fast as the pipeline took it.</p>\n");
    }
    h.append("<table class=\"timeline\"><tr><th>at</th><th>who</th><th>script state</th><th>said / happened</th>")
        .append("</tr>\n");
    for (Turn t : c.turns()) {
      h.append("<tr><td class=\"num\">").append(clock(t.offsetMs())).append("</td><td class=\"")
          .append(speakerClass(t.speaker())).append("\">").append(esc(t.speaker())).append("</td><td>")
          .append(esc(t.state() == null ? "" : t.state())).append("</td><td>").append(esc(t.text()))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  private static void fact(StringBuilder h, String name, String value) {
    if (value != null) {
      h.append("<tr><th>").append(esc(name)).append("</th><td>").append(esc(value)).append("</td></tr>");
    }
  }

  private static String svgOpen(String id, int height, String title) {
    return "<svg id=\"" + id + "\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" + WIDTH + "\" height=\"" + height
        + "\" viewBox=\"0 0 " + WIDTH + " " + height + "\" role=\"img\"><title>" + esc(title) + "</title>\n";
  }

  /** The file's name (its path is in the call's section), with the whole path as the tooltip. */
  private static void label(StringBuilder h, int n, CallReport c, int y) {
    String name = c.file().substring(c.file().lastIndexOf('/') + 1);
    h.append("<text x=\"4\" y=\"").append(y + ROW / 2 + 4).append("\"><title>").append(esc(c.file()))
        .append("</title>").append(esc(clip("#" + n + " " + name, 34))).append("</text>\n");
  }

  private static void rect(StringBuilder h, int x, int y, int w, int height, String fill, String tooltip) {
    h.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(Math.max(0, w))
        .append("\" height=\"").append(height).append("\" fill=\"").append(fill).append("\" rx=\"2\"><title>")
        .append(esc(tooltip)).append("</title></rect>");
  }

  private static void text(StringBuilder h, int x, int y, String s) {
    h.append("<text x=\"").append(x).append("\" y=\"").append(y).append("\">").append(esc(s)).append("</text>\n");
  }

  private static long high(StageLatency l) {
    return l.p90Ms() != null ? l.p90Ms() : l.maxMs() != null ? l.maxMs() : low(l);
  }

  private static long low(StageLatency l) {
    return l.p50Ms() != null ? l.p50Ms() : l.meanMs() != null ? l.meanMs() : 0;
  }

  private static String describe(StageLatency l) {
    if (l.p50Ms() != null) {
      return "p50 " + l.p50Ms() + " ms · p90 " + l.p90Ms() + " ms" + (l.count() == null ? "" : " (" + l.count()
          + (l.count() == 1 ? " sample)" : " samples)"));
    }
    return "mean " + l.meanMs() + " ms · worst " + l.maxMs() + " ms";
  }

  private static String speakerClass(String speaker) {
    return switch (speaker) {
      case "AGENT", "CUSTOMER", "SYSTEM" -> speaker;
      default -> "other";
    };
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  private static String clock(long ms) {
    return String.format(Locale.ROOT, "%d:%04.1f", ms / 60_000, (ms % 60_000) / 1000.0);
  }

  private static String seconds(long ms) {
    return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  private static String percent(double ratio) {
    return String.format(Locale.ROOT, "%.0f%%", ratio * 100);
  }

  private static String speed(double speed) {
    return speed == 0 ? "0 (as fast as the pipeline takes it)" : String.format(Locale.ROOT, "%s× real time",
        speed == Math.rint(speed) ? Long.toString((long) speed) : Double.toString(speed));
  }

  /** Text for HTML element content and attribute values. */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(ch);
      }
    }
    return out.toString();
  }
}
