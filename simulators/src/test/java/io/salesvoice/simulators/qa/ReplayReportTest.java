package io.salesvoice.simulators.qa;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.salesvoice.simulators.qa.ReplayReport.CallReport;
import io.salesvoice.simulators.qa.ReplayReport.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayReportTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A replay status as {@code GET /api/replays/{id}} answers it. */
  static final String REPLAY = """
      {"id":"r-1","callId":"replay-r-1","state":"FINISHED","speed":0.0,"channels":2,"durationMs":10560,
       "totalChunks":1058,"chunksSent":1058,"startedAt":"2026-11-25T12:00:00Z","finishedAt":"2026-11-25T12:00:02Z",
       "error":null}""";

  /** A call view as analytics-stream's {@code GET /api/analytics/calls/{id}} answers it (AvroJson of CallSummary). */
  static final String VIEW = """
      {"callId":"replay-r-1","campaignId":"qa-run-1","replay":true,"startedAt":"2026-11-25T12:00:00Z",
       "endedAt":"2026-11-25T12:00:10.560Z","endReason":"REPLAY_FINISHED","outcome":"NO_DECISION",
       "slots":{"phone":"+79991234567","company":"acme"},
       "timeline":[
         {"at":"2026-11-25T12:00:00Z","speaker":"SYSTEM","text":"call started (REPLAY)","state":null},
         {"at":"2026-11-25T12:00:01.250Z","speaker":"AGENT","text":"hello <script>alert('x')</script> & welcome","state":"greeting"},
         {"at":"2026-11-25T12:00:04Z","speaker":"CUSTOMER","text":"call me on +1 415 555 0100 please","state":null}],
       "statesVisited":["greeting"],"customerTalkMs":4000,"agentTalkMs":6000,"bargeIns":1,
       "latencyMs":{"speechEndToTranscript":310,"speechEndToTranscript.max":520},
       "qaScore":55.0,"qaReasons":["required state not visited: offer (-15)","2 silence gap(s) over 5 s, the longest 7.5 s (-10)",
         "forbidden phrase \\"<b>guarantee</b>\\" in: \\"we guarantee\\" (-10)"],
       "updatedAt":"2026-11-25T12:00:30Z"}""";

  /** The call's own replay campaign ({@code ?replay=true}): percentiles per stage, for all engines and per engine. */
  static final String CAMPAIGN = """
      {"campaignId":"qa-run-1","replay":true,"total":{"callsStarted":1,"callsCompleted":1,"latency":[
        {"stage":"speechEndToTranscript","engine":"sphinx4","count":3,"p50Ms":300,"p90Ms":500,"p99Ms":520},
        {"stage":"speechEndToTranscript","engine":"*","count":3,"p50Ms":300,"p90Ms":500,"p99Ms":520}]}}""";

  static ReplayReport sample() throws Exception {
    CallReport good = CallReport.of("recordings/<evil>.wav", "qa-run-1", JSON.readTree(REPLAY), JSON.readTree(VIEW),
        JSON.readTree(CAMPAIGN), Status.COMPLETE, null);
    CallReport refused = CallReport.failed("notes.mp3", null,
        "upload refused: 415 Unsupported Media Type: MP3 is not supported: send a WAV file");
    return ReplayReport.of("run", 0, "en-US", List.of(good, refused));
  }

  @Test
  void theJsonReportHasEveryCallsFiguresAndTotals(@TempDir Path dir) throws Exception {
    Path[] written = ReplayQaMain.write(sample(), dir);
    JsonNode r = JSON.readTree(Files.readString(written[0]));

    assertThat(r.path("runId").asText()).isEqualTo("run");
    assertThat(r.path("speed").asDouble()).isZero();
    JsonNode call = r.path("calls").get(0);
    assertThat(call.path("file").asText()).isEqualTo("recordings/<evil>.wav");
    assertThat(call.path("replayId").asText()).isEqualTo("r-1");
    assertThat(call.path("callId").asText()).isEqualTo("replay-r-1");
    assertThat(call.path("status").asText()).isEqualTo("COMPLETE");
    assertThat(call.path("durationMs").asLong()).isEqualTo(10560);
    assertThat(call.path("talk").path("agentMs").asLong()).isEqualTo(6000);
    assertThat(call.path("talk").path("customerMs").asLong()).isEqualTo(4000);
    assertThat(call.path("talk").path("agentRatio").asDouble()).isEqualTo(0.6);
    JsonNode stt = call.path("latency").get(0);
    assertThat(stt.path("stage").asText()).isEqualTo("speechEndToTranscript");
    assertThat(stt.path("meanMs").asLong()).isEqualTo(310);
    assertThat(stt.path("maxMs").asLong()).isEqualTo(520);
    assertThat(stt.path("count").asLong()).isEqualTo(3);
    assertThat(stt.path("p50Ms").asLong()).isEqualTo(300);
    assertThat(stt.path("p90Ms").asLong()).isEqualTo(500);
    assertThat(call.path("latency")).hasSize(1);
    assertThat(call.path("qaScore").asDouble()).isEqualTo(55.0);
    assertThat(call.path("qaReasons")).hasSize(3);
    assertThat(call.path("turns")).hasSize(3);
    assertThat(call.path("turns").get(1).path("offsetMs").asLong()).isEqualTo(1250);
    assertThat(call.path("turns").get(1).path("speaker").asText()).isEqualTo("AGENT");
    assertThat(call.path("turns").get(1).path("state").asText()).isEqualTo("greeting");

    JsonNode failed = r.path("calls").get(1);
    assertThat(failed.path("status").asText()).isEqualTo("FAILED");
    assertThat(failed.path("error").asText()).contains("415 Unsupported Media Type: MP3 is not supported");

    JsonNode totals = r.path("totals");
    assertThat(totals.path("calls").asInt()).isEqualTo(2);
    assertThat(totals.path("complete").asInt()).isEqualTo(1);
    assertThat(totals.path("failed").asInt()).isEqualTo(1);
    assertThat(totals.path("recordedMs").asLong()).isEqualTo(10560);
    assertThat(totals.path("agentRatio").asDouble()).isEqualTo(0.6);
    assertThat(totals.path("averageQaScore").asDouble()).isEqualTo(55.0);
    assertThat(totals.path("latency").get(0).path("meanMs").asLong()).isEqualTo(310);
    assertThat(totals.path("latency").get(0).path("maxMs").asLong()).isEqualTo(520);
  }

  @Test
  void phoneNumbersAreMaskedInBothReports(@TempDir Path dir) throws Exception {
    Path[] written = ReplayQaMain.write(sample(), dir);
    for (Path p : written) {
      String text = Files.readString(p);
      assertThat(text).doesNotContain("79991234567").doesNotContain("415 555 0100").doesNotContain("4155550100");
    }
    CallReport call = sample().calls().get(0);
    assertThat(call.slots().get("phone")).startsWith("+7999").endsWith("67").contains("*");
    assertThat(call.slots().get("company")).isEqualTo("acme");
    assertThat(call.turns().get(2).text()).startsWith("call me on +1415").endsWith("00 please");
  }

  @Test
  void onlyNumbersStandingOnTheirOwnAreMaskedNotPiecesOfIds() {
    assertThat(ReplayReport.mask("call ended: REPLAY_FINISHED (replay ee8d584f-ecc7-4c94-a5cd-9a499427976b)"))
        .isEqualTo("call ended: REPLAY_FINISHED (replay ee8d584f-ecc7-4c94-a5cd-9a499427976b)");
    assertThat(ReplayReport.mask("ring 415-555-0100 or (499) 555 0199, order 12345"))
        .isEqualTo("ring 4155****00 or (4995****99, order 12345");
  }

  @Test
  void theHtmlReportHasTheThreeChartsAndEscapesEveryText() throws Exception {
    String html = HtmlReport.render(sample());

    assertThat(html).contains("<svg id=\"talk-ratio-chart\"", "<svg id=\"latency-chart\"", "<svg id=\"qa-score-chart\"");
    assertThat(svg(html, "talk-ratio-chart")).contains("agent 60% (6.0 s) · customer 40% (4.0 s)");
    assertThat(svg(html, "latency-chart")).contains("#1 speechEndToTranscript", "p50 300 ms · p90 500 ms (3 samples)");
    assertThat(svg(html, "qa-score-chart")).contains("55 / 100").contains("no score");
    assertThat(html).contains("required state not visited: offer (-15)");
    // transcript table, timeline offsets
    assertThat(html).contains("<table class=\"timeline\">", "0:01.3", "0:04.0");

    // hostile text from a transcript, a QA reason and a file name never becomes markup
    assertThat(html).doesNotContain("<script").doesNotContain("<b>guarantee").doesNotContain("<evil>");
    assertThat(html).contains("hello &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; welcome");
    assertThat(html).contains("&quot;&lt;b&gt;guarantee&lt;/b&gt;&quot;");
    assertThat(html).contains("recordings/&lt;evil&gt;.wav");
    // self-contained: nothing loaded when it is opened
    assertThat(html).doesNotContainPattern("(?i)<(script|link|img|iframe)\\b").doesNotContainPattern("(?i)(src|href)=")
        .doesNotContain("@import").doesNotContain("url(");
    assertThat(html).contains("FAILED").contains("MP3 is not supported");
  }

  @Test
  void aRunWithoutAnyMeasuredLatencySaysSoInsteadOfDrawingAnEmptyChart() {
    CallReport refused = CallReport.failed("a.ogg", null, "upload refused: 415 Unsupported Media Type: Ogg");
    String html = HtmlReport.render(ReplayReport.of("run", 1, null, List.of(refused)));
    assertThat(html).contains("No stage latency was measured").doesNotContain("<svg id=\"latency-chart\"");
    assertThat(html).contains("<svg id=\"talk-ratio-chart\"", "<svg id=\"qa-score-chart\"", "not replayed");
  }

  @Test
  void theSummaryNamesEachCallsFiguresAndProblem() throws Exception {
    String text = ReplayQaMain.summary(sample());
    assertThat(text).contains("2 recording(s), 1 complete, 0 incomplete, 1 failed")
        .contains("#1 recordings/<evil>.wav  COMPLETE, 10.6 s, call replay-r-1, outcome NO_DECISION, 3 timeline entries")
        .contains("agent 60% (6.0 s), customer 40% (4.0 s)")
        .contains("speechEndToTranscript p50 300 / p90 500 ms")
        .contains("QA score   55: required state not visited: offer (-15)")
        .contains("#2 notes.mp3  FAILED")
        .contains("problem    upload refused: 415 Unsupported Media Type: MP3 is not supported");
  }

  private static String svg(String html, String id) {
    Matcher m = Pattern.compile("<svg id=\"" + id + "\".*?</svg>", Pattern.DOTALL).matcher(html);
    assertThat(m.find()).as("chart " + id).isTrue();
    return new String(m.group().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }
}
