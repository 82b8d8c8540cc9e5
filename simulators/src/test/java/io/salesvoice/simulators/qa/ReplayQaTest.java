package io.salesvoice.simulators.qa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.salesvoice.simulators.qa.ReplayReport.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay QA client against a local HTTP server answering as ingest-audio ({@code /api/replays}) and
 * analytics-stream ({@code /api/analytics/...}) do: refusals, progress, a call view that completes late or never.
 */
class ReplayQaTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "test-key";

  private HttpServer server;
  private URI base;
  /** What each uploaded recording's call does in analytics, by the upload's content. */
  private final Map<String, String> behaviourByCall = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> replayPolls = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> viewPolls = new ConcurrentHashMap<>();
  private final Map<String, String> campaignByCall = new ConcurrentHashMap<>();
  private final List<String> uploads = new CopyOnWriteArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();

  @TempDir
  Path dir;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/replays", this::replays);
    server.createContext("/api/analytics/calls/", this::callView);
    server.createContext("/api/analytics/campaigns/", this::campaignView);
    server.start();
    base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void replays(HttpExchange x) throws IOException {
    if (!KEY.equals(x.getRequestHeaders().getFirst("X-Api-Key"))) {
      json(x, 401, "{\"status\":401,\"error\":\"Unauthorized\",\"message\":\"missing or wrong X-Api-Key\"}");
      return;
    }
    if ("POST".equals(x.getRequestMethod())) {
      String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1);
      uploads.add(x.getRequestURI().getRawQuery() + " " + x.getRequestHeaders().getFirst("Content-Type"));
      if (body.startsWith("ID3")) {
        json(x, 415, "{\"status\":415,\"error\":\"Unsupported Media Type\",\"message\":\"MP3 is not supported "
            + "(no maintained decoder on Maven Central): send a WAV file\"}");
        return;
      }
      if (body.startsWith("RIFF-TRUNCATED")) {
        json(x, 400, "{\"status\":400,\"error\":\"Bad Request\",\"message\":\"truncated WAV: the data chunk "
            + "declares 64000 bytes, 12 present\"}");
        return;
      }
      String id = "r-" + ids.incrementAndGet();
      String callId = "replay-" + id;
      behaviourByCall.put(callId, body.trim());
      String query = x.getRequestURI().getQuery();
      for (String p : query.split("&")) {
        if (p.startsWith("campaignId=")) {
          campaignByCall.put(callId, p.substring("campaignId=".length()));
        }
      }
      replayPolls.put(id, new AtomicInteger());
      json(x, 202, status(id, "RUNNING", 0));
      return;
    }
    String id = x.getRequestURI().getPath().substring("/api/replays/".length());
    AtomicInteger polls = replayPolls.get(id);
    if (polls == null) {
      json(x, 404, "");
      return;
    }
    int n = polls.incrementAndGet();
    boolean stuck = behaviourByCall.get("replay-" + id).contains("stuck");
    json(x, 200, stuck ? status(id, "RUNNING", 3) : n < 3 ? status(id, "RUNNING", n * 4) : status(id, "FINISHED", 10));
  }

  private static String status(String id, String state, int sent) {
    return "{\"id\":\"" + id + "\",\"callId\":\"replay-" + id + "\",\"state\":\"" + state + "\",\"speed\":0.0,"
        + "\"channels\":2,\"durationMs\":10560,\"totalChunks\":10,\"chunksSent\":" + sent + ",\"error\":null}";
  }

  private void callView(HttpExchange x) throws IOException {
    String callId = x.getRequestURI().getPath().substring("/api/analytics/calls/".length());
    String behaviour = behaviourByCall.get(callId);
    int n = viewPolls.computeIfAbsent(callId, k -> new AtomicInteger()).incrementAndGet();
    if (behaviour == null || n == 1) {
      json(x, 404, "{\"error\":\"not found\"}");
      return;
    }
    if (n == 2) {
      json(x, 503, "{\"error\":\"the store is moving\"}");
      return;
    }
    ObjectNode view = (ObjectNode) JSON.readTree(ReplayReportTest.VIEW);
    view.put("callId", callId).put("campaignId", campaignByCall.get(callId)).put("updatedAt", "2026-11-25T12:00:" + (n % 60));
    if (behaviour.contains("never-ends") || n < 5) {
      view.putNull("endedAt");   // the call has not ended (yet)
    }
    if (n < 7) {
      view.put("customerTalkMs", 1000L * n);   // transcripts still arriving after the end
    }
    json(x, 200, view.toString());
  }

  private void campaignView(HttpExchange x) throws IOException {
    if (!"replay=true".equals(x.getRequestURI().getQuery())) {
      json(x, 404, "{\"error\":\"not found\"}");
      return;
    }
    String campaignId = x.getRequestURI().getPath().substring("/api/analytics/campaigns/".length());
    ObjectNode c = (ObjectNode) JSON.readTree(ReplayReportTest.CAMPAIGN);
    c.put("campaignId", campaignId);
    json(x, 200, c.toString());
  }

  private static void json(HttpExchange x, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      x.getResponseBody().write(bytes);
    }
    x.close();
  }

  private ReplayQa qa(URI ingest, String key, Duration analyticsTimeout) {
    return new ReplayQa(new ReplayQa.Settings(ingest, base, key, 0, "en-US", "run", Duration.ofSeconds(3),
        analyticsTimeout, Duration.ofMillis(150), Duration.ofMillis(10)));
  }

  private Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.ISO_8859_1);
  }

  private ReplayReport run(ReplayQa qa, Path... files) throws Exception {
    List<Path> list = List.of(files);
    return qa.run(list, list.stream().map(p -> p.getFileName().toString()).toList(), quiet());
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }

  @Test
  void eachRecordingIsReplayedAndItsCallWaitedForUntilEndedScoredAndSettled() throws Exception {
    ReplayReport r = run(qa(base, KEY, Duration.ofSeconds(10)), file("a.wav", "RIFF a"), file("b.wav", "RIFF b"));

    assertThat(r.calls()).extracting(ReplayReport.CallReport::status).containsExactly(Status.COMPLETE, Status.COMPLETE);
    assertThat(r.calls()).extracting(ReplayReport.CallReport::callId).containsExactly("replay-r-1", "replay-r-2");
    assertThat(r.calls()).extracting(ReplayReport.CallReport::campaignId).containsExactly("qa-run-1", "qa-run-2");
    // the report holds the settled view, not the first ended one (transcripts kept arriving until poll 7)
    assertThat(r.calls().get(0).talk().customerMs()).isEqualTo(4000);
    assertThat(viewPolls.get("replay-r-1").get()).isGreaterThanOrEqualTo(7);
    assertThat(r.calls().get(0).latency().get(0).p90Ms()).isEqualTo(500);
    assertThat(r.calls().get(0).qaScore()).isEqualTo(55.0);
    assertThat(r.calls().get(0).durationMs()).isEqualTo(10560);
    assertThat(r.totals().complete()).isEqualTo(2);
    assertThat(uploads).containsExactly("speed=0&campaignId=qa-run-1&language=en-US&source=sva-replay audio/wav",
        "speed=0&campaignId=qa-run-2&language=en-US&source=sva-replay audio/wav");
  }

  /** A drain that reports work pending for its first {@code busyPolls} polls, and whether it was begun and marked. */
  private static final class FakeDrain implements ReplayQa.Drain {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final int busyPolls;
    int polls;

    FakeDrain(int busyPolls) {
      this.busyPolls = busyPolls;
    }

    @Override
    public void begin() {
      calls.add("begin");
    }

    @Override
    public void mark() {
      calls.add("mark");
    }

    @Override
    public String pending() {
      return ++polls <= busyPolls ? "stt-worker has 7 replayed record(s) to transcribe" : null;
    }

    @Override
    public void close() {
    }
  }

  @Test
  void aCallIsNotCompleteWhileTheStagesHaveNotReadWhatTheReplaysWrote() throws Exception {
    FakeDrain drain = new FakeDrain(40);
    ReplayQa qa = new ReplayQa(new ReplayQa.Settings(base, base, KEY, 0, "en-US", "run", Duration.ofSeconds(3),
        Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofMillis(10)), drain);
    Path f = file("a.wav", "RIFF a");
    ReplayReport r = qa.run(List.of(f), List.of("a.wav"), quiet());

    assertThat(r.calls().get(0).status()).isEqualTo(Status.COMPLETE);
    assertThat(drain.polls).isGreaterThan(40);
    assertThat(drain.calls).containsExactly("begin", "mark");
    // the view was ended and quiet long before: only the drain held the call back
    assertThat(viewPolls.get("replay-r-1").get()).isGreaterThan(30);
  }

  @Test
  void aWaitThatRunsOutWhileAStageIsBusySaysWhichStage() throws Exception {
    ReplayQa qa = new ReplayQa(new ReplayQa.Settings(base, base, KEY, 0, "en-US", "run", Duration.ofSeconds(3),
        Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofMillis(10)), new FakeDrain(Integer.MAX_VALUE));
    ReplayReport r = assertTimeoutPreemptively(Duration.ofSeconds(15),
        () -> qa.run(List.of(file("a.wav", "RIFF a")), List.of("a.wav"), quiet()));

    assertThat(r.calls().get(0).status()).isEqualTo(Status.INCOMPLETE);
    assertThat(r.calls().get(0).error()).startsWith("analytics view not complete after 1 s: stt-worker has 7 "
        + "replayed record(s) to transcribe; ");
  }

  @Test
  void aRefusedUploadCarriesTheApisMessageAndTheOtherRecordingsGoOn() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<Path> files = List.of(file("talk.mp3", "ID3 not a wav"), file("broken.wav", "RIFF-TRUNCATED"),
        file("ok.wav", "RIFF ok"));
    ReplayReport r = qa(base, KEY, Duration.ofSeconds(10)).run(files, List.of("talk.mp3", "broken.wav", "ok.wav"),
        new PrintStream(out, true, StandardCharsets.UTF_8));

    assertThat(r.calls()).extracting(ReplayReport.CallReport::status)
        .containsExactly(Status.FAILED, Status.FAILED, Status.COMPLETE);
    assertThat(r.calls().get(0).error()).isEqualTo("upload refused: 415 Unsupported Media Type: MP3 is not supported "
        + "(no maintained decoder on Maven Central): send a WAV file");
    assertThat(r.calls().get(1).error()).contains("400 Bad Request: truncated WAV");
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("talk.mp3: upload refused: 415", "broken.wav: upload "
        + "refused: 400");
    assertThat(uploads.get(0)).endsWith("application/octet-stream");
    assertThat(r.totals().failed()).isEqualTo(2);
  }

  @Test
  void aCallWhoseViewNeverCompletesEndsTheWaitWithAClearErrorInsteadOfHanging() throws Exception {
    ReplayReport r = assertTimeoutPreemptively(Duration.ofSeconds(15),
        () -> run(qa(base, KEY, Duration.ofSeconds(4)), file("never.wav", "RIFF never-ends"), file("ok.wav", "RIFF ok")));

    assertThat(r.calls().get(0).status()).isEqualTo(Status.INCOMPLETE);
    assertThat(r.calls().get(0).error()).isEqualTo("analytics view not complete after 4 s: call replay-r-1 has not "
        + "ended in analytics (no CallEnded seen)");
    // what was seen is still reported
    assertThat(r.calls().get(0).turns()).isNotEmpty();
    assertThat(r.calls().get(1).status()).isEqualTo(Status.COMPLETE);
    assertThat(r.totals().incomplete()).isEqualTo(1);
  }

  @Test
  void aReplayThatNeverFinishesIsReportedAsFailedAfterTheReplayTimeout() throws Exception {
    ReplayReport r = assertTimeoutPreemptively(Duration.ofSeconds(15),
        () -> run(qa(base, KEY, Duration.ofSeconds(5)), file("slow.wav", "RIFF stuck")));

    assertThat(r.calls().get(0).status()).isEqualTo(Status.FAILED);
    assertThat(r.calls().get(0).error()).isEqualTo("the replay was still RUNNING after 3 s (3/10 chunks sent)");
  }

  @Test
  void anUnreachablePipelineStopsTheRunSayingWhereItLookedAndWhatToDo() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    URI nowhere = URI.create("http://127.0.0.1:" + closed);
    Path f = file("a.wav", "RIFF a");
    assertThatThrownBy(() -> run(qa(nowhere, KEY, Duration.ofSeconds(1)), f))
        .isInstanceOf(ReplayQaException.class)
        .hasMessage("ingest-audio is not reachable at " + nowhere + " (connection refused): is the pipeline up? "
            + "Start it with ./sva up")
        .matches(e -> ((ReplayQaException) e).fatal());
  }

  @Test
  void aRefusedApiKeyStopsTheRun() throws Exception {
    Path f = file("a.wav", "RIFF a");
    assertThatThrownBy(() -> run(qa(base, "wrong", Duration.ofSeconds(1)), f))
        .isInstanceOf(ReplayQaException.class)
        .hasMessageContaining("ingest-audio refused the API key (401 Unauthorized: missing or wrong X-Api-Key)");
    assertThat(uploads).as("checked before any upload").isEmpty();
  }

  @Test
  void theCommandChecksItsFilesBeforeTouchingThePipelineAndWritesBothReports() throws Exception {
    Map<String, String> env = Map.of("SVA_INGEST_API_KEY", KEY, "SVA_INGEST_URL", base.toString(),
        "SVA_ANALYTICS_URL", base.toString(), "SVA_REPLAY_DIR", dir.resolve("out").toString(),
        "SVA_REPLAY_SETTLE_SECONDS", "1", "SVA_REPLAY_TIMEOUT_SECONDS", "20", "SVA_REPLAY_FOLLOW_KAFKA", "false");

    assertThat(ReplayQaMain.run(new String[] {dir.resolve("missing.wav").toString()}, env)).isEqualTo(2);
    assertThat(ReplayQaMain.run(new String[0], env)).isEqualTo(2);
    assertThat(ReplayQaMain.checkFiles(new String[] {dir.resolve("missing.wav").toString()}))
        .isEqualTo("no such file: " + dir.resolve("missing.wav"));
    assertThat(uploads).isEmpty();
    assertThat(ReplayQaMain.run(new String[] {file("a.wav", "RIFF a").toString()},
        Map.of("SVA_INGEST_URL", base.toString()))).as("no API key").isEqualTo(2);
    assertThat(ReplayQaMain.run(new String[] {file("a.wav", "RIFF a").toString()},
        Map.of("SVA_INGEST_API_KEY", KEY, "SVA_REPLAY_SPEED", "fast"))).as("bad speed").isEqualTo(2);
    assertThat(uploads).isEmpty();

    assertThat(ReplayQaMain.run(new String[] {file("a.wav", "RIFF a").toString()}, env)).isEqualTo(0);
    assertThat(dir.resolve("out/report.json")).exists();
    assertThat(Files.readString(dir.resolve("out/report.html"))).contains("<svg id=\"qa-score-chart\"");
    assertThat(JSON.readTree(dir.resolve("out/report.json").toFile()).path("calls").get(0).path("status").asText())
        .isEqualTo("COMPLETE");
  }
}
