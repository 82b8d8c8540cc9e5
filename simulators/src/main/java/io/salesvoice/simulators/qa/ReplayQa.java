package io.salesvoice.simulators.qa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.salesvoice.simulators.qa.ReplayReport.CallReport;
import io.salesvoice.simulators.qa.ReplayReport.Status;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Replays recordings through a running pipeline and collects what analytics made of each call: uploads them one by
 * one (following each replay to its end), then waits — bounded — until every call's analytics view has ended, has a QA
 * score and has stopped changing (transcripts of a fast replay keep arriving after the call's end).
 */
public final class ReplayQa {

  /**
   * Where the pipeline answers and how long to wait.
   *
   * @param speed          the replay's pace: 1 = real time, 0 = as fast as the pipeline takes it (ingest-audio: 0–100)
   * @param replayTimeout  how long one upload may take to be replayed to its end
   * @param analyticsTimeout how long, after the last replay, the analytics views may take to complete
   * @param settle         how long a complete view must stay unchanged to count as final
   */
  public record Settings(URI ingest, URI analytics, String apiKey, double speed, String language, String runId,
                         Duration replayTimeout, Duration analyticsTimeout, Duration settle, Duration poll) {
  }

  /**
   * Whether the pipeline's stages have consumed what the replays wrote ({@link KafkaDrain}). Without one, a view that
   * stayed unchanged for {@link Settings#settle()} counts as final.
   */
  public interface Drain extends AutoCloseable {

    /** Nothing to watch: completion rests on the views alone. */
    Drain NONE = new Drain() {
      @Override
      public void begin() {
      }

      @Override
      public void mark() {
      }

      @Override
      public String pending() {
        return null;
      }

      @Override
      public void close() {
      }
    };

    /** Before the first upload: where the topics end now. */
    void begin() throws ReplayQaException, InterruptedException;

    /** After the last replay finished: everything the replays wrote is before this mark. */
    void mark() throws ReplayQaException, InterruptedException;

    /** Null once every stage has consumed up to the mark; otherwise what is still to be done. */
    String pending() throws InterruptedException;

    @Override
    void close();
  }

  /** Without a drain, transcripts of a fast replay may come many seconds apart: settle at least this long. */
  static final Duration WITHOUT_DRAIN = Duration.ofSeconds(15);

  private final Settings settings;
  private final ReplayClient client;
  private Drain drain;
  private Duration settle;

  public ReplayQa(Settings settings) {
    this(settings, Drain.NONE);
  }

  public ReplayQa(Settings settings, Drain drain) {
    this.settings = settings;
    this.drain = drain;
    this.settle = settings.settle();
    this.client = new ReplayClient(settings.ingest(), settings.analytics(), settings.apiKey(), Duration.ofSeconds(30));
  }

  /** One recording on its way: its replay status, then its analytics. */
  private static final class Run {
    final Path file;
    final String label;
    final String campaignId;
    JsonNode replay;
    String error;
    JsonNode view;
    JsonNode campaign;
    String snapshot;
    long stableSinceNanos;
    boolean complete;

    Run(Path file, String label, String campaignId) {
      this.file = file;
      this.label = label;
      this.campaignId = campaignId;
    }
  }

  /** Replays every file and builds the report; throws only when the run cannot go on at all (fatal). */
  public ReplayReport run(List<Path> files, List<String> labels, PrintStream progress)
      throws ReplayQaException, InterruptedException {
    List<Run> runs = new ArrayList<>();
    client.check();
    watch(progress, true);
    for (int i = 0; i < files.size(); i++) {
      Run run = new Run(files.get(i), labels.get(i), "qa-" + settings.runId() + "-" + (i + 1));
      runs.add(run);
      replay(run, i + 1, files.size(), progress);
    }
    awaitAnalytics(runs, progress);
    List<CallReport> calls = new ArrayList<>();
    for (Run r : runs) {
      if (r.replay == null || !"FINISHED".equals(r.replay.path("state").asText())) {
        calls.add(CallReport.failed(r.label, r.replay, r.error));
      } else {
        calls.add(CallReport.of(r.label, r.campaignId, r.replay, r.view, r.campaign,
            r.complete ? Status.COMPLETE : Status.INCOMPLETE, r.error));
      }
    }
    return ReplayReport.of(settings.runId(), settings.speed(), settings.language(), calls);
  }

  private void replay(Run run, int n, int of, PrintStream progress) throws ReplayQaException, InterruptedException {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("speed", formatSpeed(settings.speed()));
    params.put("campaignId", run.campaignId);
    if (settings.language() != null && !settings.language().isBlank()) {
      params.put("language", settings.language());
    }
    params.put("source", "sva-replay");
    String name = String.format("  [%d/%d] %s", n, of, run.label);
    try {
      run.replay = client.upload(run.file, params);
    } catch (ReplayQaException e) {
      if (e.fatal()) {
        throw e;
      }
      run.error = e.getMessage();
      progress.println(name + ": " + e.getMessage());
      return;
    }
    ProgressBar bar = new ProgressBar(progress);
    long deadline = System.nanoTime() + settings.replayTimeout().toNanos();
    while (true) {
      JsonNode s = run.replay;
      long total = s.path("totalChunks").asLong(0);
      long sent = s.path("chunksSent").asLong(0);
      String state = s.path("state").asText("?");
      bar.show(name, total == 0 ? 1 : (double) sent / total, String.format("%d/%d chunks, %s, call %s", sent, total,
          state.toLowerCase(Locale.ROOT), s.path("callId").asText("?")));
      if ("FINISHED".equals(state)) {
        break;
      }
      if ("FAILED".equals(state)) {
        run.error = "the replay failed in ingest-audio: " + s.path("error").asText("no reason given");
        break;
      }
      if (System.nanoTime() > deadline) {
        run.error = "the replay was still " + state + " after " + settings.replayTimeout().toSeconds() + " s ("
            + sent + "/" + total + " chunks sent)";
        break;
      }
      Thread.sleep(settings.poll().toMillis());
      run.replay = client.replay(s.path("id").asText());
    }
    bar.end();
    if (run.error != null) {
      progress.println("    " + run.error);
    }
  }

  private void awaitAnalytics(List<Run> runs, PrintStream progress) throws ReplayQaException, InterruptedException {
    List<Run> waiting = runs.stream().filter(r -> r.replay != null && r.error == null).toList();
    if (waiting.isEmpty()) {
      return;
    }
    watch(progress, false);
    ProgressBar bar = new ProgressBar(progress);
    long deadline = System.nanoTime() + settings.analyticsTimeout().toNanos();
    String pending = "";
    long drainedAt = 0;
    while (true) {
      if (pending != null) {
        pending = drain.pending();
        drainedAt = System.nanoTime();
      }
      int done = 0;
      for (Run r : waiting) {
        if (!r.complete) {
          poll(r, pending == null, drainedAt);
        }
        done += r.complete ? 1 : 0;
      }
      bar.show("  analytics", (double) done / waiting.size(), String.format("%d/%d calls complete%s", done,
          waiting.size(), done == waiting.size() ? "" : pending != null ? " (" + pending + ")"
              : " (waiting for the calls to end and their views to settle)"));
      if (done == waiting.size()) {
        break;
      }
      if (System.nanoTime() > deadline) {
        bar.end();
        for (Run r : waiting) {
          if (!r.complete) {
            r.error = "analytics view not complete after " + settings.analyticsTimeout().toSeconds() + " s: "
                + (pending != null ? pending + "; " : "") + whyIncomplete(r);
            progress.println("    " + r.label + ": " + r.error);
          }
        }
        return;
      }
      Thread.sleep(settings.poll().toMillis());
    }
    bar.end();
  }

  /** Begins (before the uploads) or marks (after them) the drain; a Kafka it cannot reach means no drain. */
  private void watch(PrintStream progress, boolean begin) throws InterruptedException {
    try {
      if (begin) {
        drain.begin();
      } else {
        drain.mark();
      }
    } catch (ReplayQaException e) {
      progress.println("  (cannot follow the stages in Kafka: " + e.getMessage() + "; a call counts as complete once "
          + "its view has not changed for " + Math.max(settings.settle().toSeconds(), WITHOUT_DRAIN.toSeconds())
          + " s)");
      drain.close();
      drain = Drain.NONE;
      settle = settings.settle().compareTo(WITHOUT_DRAIN) < 0 ? WITHOUT_DRAIN : settings.settle();
    }
  }

  private void poll(Run r, boolean drained, long drainedAt) throws ReplayQaException, InterruptedException {
    String callId = r.replay.path("callId").asText();
    Optional<JsonNode> view = client.call(callId);
    if (view.isEmpty()) {
      return;
    }
    r.view = view.get();
    r.campaign = client.replayCampaign(r.campaignId).orElse(null);
    boolean ended = r.view.hasNonNull("endedAt") && r.view.path("qaScore").isNumber();
    String snapshot = snapshot(r.view, r.campaign);
    long now = System.nanoTime();
    if (!snapshot.equals(r.snapshot)) {
      r.snapshot = snapshot;
      r.stableSinceNanos = now;
    }
    // a stage's last output may still be on its way when the stage is seen drained: settle from both
    r.complete = drained && ended && now - Math.max(r.stableSinceNanos, drainedAt) >= settle.toNanos();
  }

  /** The views without their ever-changing {@code updatedAt}, to see whether anything still arrives. */
  private static String snapshot(JsonNode view, JsonNode campaign) {
    ObjectNode v = view.deepCopy();
    v.remove("updatedAt");
    String c = "";
    if (campaign != null) {
      c = campaign.path("total").path("latency").toString() + campaign.path("total").path("callsCompleted");
    }
    return v + "|" + c;
  }

  private static String whyIncomplete(Run r) {
    String callId = r.replay.path("callId").asText();
    if (r.view == null) {
      return "analytics-stream has no view of call " + callId + " (did stt-worker and analytics-stream receive it?)";
    }
    if (!r.view.hasNonNull("endedAt")) {
      return "call " + callId + " has not ended in analytics (no CallEnded seen)";
    }
    if (!r.view.path("qaScore").isNumber()) {
      return "call " + callId + " has no QA score yet";
    }
    return "call " + callId + " was still changing (transcripts still arriving); the report shows it as it was";
  }

  private static String formatSpeed(double speed) {
    return speed == Math.rint(speed) ? Long.toString((long) speed) : Double.toString(speed);
  }

  /** A one-line progress bar redrawn in place on a terminal, one line per change otherwise (as the demo's). */
  static final class ProgressBar {
    private final PrintStream out;
    private final boolean terminal = System.console() != null;
    private String last = "";

    ProgressBar(PrintStream out) {
      this.out = out;
    }

    void show(String name, double fraction, String detail) {
      int width = 30;
      int filled = (int) Math.round(Math.max(0, Math.min(1, fraction)) * width);
      String line = String.format("%s [%s%s] %s", name, "#".repeat(filled), ".".repeat(width - filled), detail);
      if (line.equals(last)) {
        return;
      }
      if (terminal) {
        out.print("\r" + line + " ".repeat(Math.max(0, last.length() - line.length())));
      } else if (!line.replaceAll("\\d+", "N").equals(last.replaceAll("\\d+", "N"))) {
        out.println(line);   // a log, not a screen: a new line when the bar or the wording moves, not every count
      }
      last = line;
      out.flush();
    }

    void end() {
      if (terminal && !last.isEmpty()) {
        out.println();
      }
      last = "";
    }
  }
}
