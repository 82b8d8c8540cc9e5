package io.salesvoice.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.salesvoice.platform.kafka.KafkaSettings;
import io.salesvoice.simulators.demo.DemoCampaign;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * One fault scenario on a running {@link Pipeline}: a campaign of simulated calls, a fault injected while calls are
 * live, then the campaign followed to its end and audited. Yields the figures the issue asks for: calls affected,
 * records lost, duplicates, time to recover.
 */
final class FaultRun {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> LIVE = Set.of("RINGING", "CONNECTING", "LISTENING", "SPEAKING");

  /** What a fault did and how long the pipeline took to recover from it. */
  record Recovery(Duration time, String how) {
  }

  /** A fault, injected while calls are live; returns once the pipeline recovered (or could not). */
  @FunctionalInterface
  interface Fault {
    Recovery inject(FaultRun run) throws Exception;
  }

  /** The figures of one scenario. */
  record Figures(String scenario, String fault, int calls, int callsAffected, int lost, int duplicates,
                 Duration recovery, String recoveredHow, boolean campaignFinished, int redeliveries,
                 List<String> findings, String notes) {
  }

  final Pipeline pipeline;
  final KafkaSettings kafka;
  final Admin admin;
  final GroupWatch groups;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Set<String> affected = new TreeSet<>();
  private String campaignId;
  private int portalIdBefore;

  FaultRun(Pipeline pipeline, KafkaSettings kafka, Admin admin) {
    this.pipeline = pipeline;
    this.kafka = kafka;
    this.admin = admin;
    this.groups = new GroupWatch(admin);
  }

  /**
   * Runs a campaign of {@code leads} calls ({@code concurrency} at once); once {@code liveCalls} calls are in
   * conversation, injects {@code fault}; audits once the campaign finished and the CRM drained.
   */
  Figures run(String scenario, String description, int leads, int concurrency, int liveCalls, Fault fault,
              String notes) throws Exception {
    campaignId = scenario + "-" + Long.toString(System.currentTimeMillis(), 36);
    portalIdBefore = pipeline.portal.lastId();
    DemoCampaign.Settings settings = pipeline.campaign(campaignId, leads, 0, concurrency, Duration.ofMinutes(25));
    CompletableFuture<DemoCampaign.Result> campaign = CompletableFuture.supplyAsync(() -> {
      try {
        return new DemoCampaign(settings).run(System.out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    });
    awaitConversations(liveCalls, Duration.ofMinutes(6), campaign);
    System.out.println("FAULT " + scenario + ": " + description + " at " + Instant.now());
    Recovery recovery = fault.inject(this);
    System.out.println("FAULT " + scenario + ": recovered in " + recovery.time().toSeconds() + " s (" + recovery.how()
        + ")");
    DemoCampaign.Result result = campaign.get(30, TimeUnit.MINUTES);
    CallAudit audit = settledAudit(Duration.ofMinutes(4));
    for (JsonNode c : calls()) {
      String outcome = c.path("outcome").asText();
      if (outcome.equals("error") || (outcome.equals("agent-silent") && !c.path("persona").asText().equals("voicemail"))) {
        affected.add(c.path("callId").asText());
      }
    }
    affected.addAll(audit.cutShort);
    List<String> findings = new ArrayList<>();
    audit.lost.forEach(f -> findings.add("lost: " + f));
    audit.duplicates.forEach(f -> findings.add("duplicate: " + f));
    if (!result.finished()) {
      findings.add("campaign did not finish: " + result.dialerStatus());
    }
    Figures figures = new Figures(scenario, description, audit.callIds.size(), affected.size(), audit.lost.size(),
        audit.duplicates.size(), recovery.time(), recovery.how(), result.finished(), audit.redeliveries, findings,
        notes);
    System.out.println("FAULT " + scenario + ": " + figures);
    return figures;
  }

  /** Remembers the calls live right now as affected by the fault being injected. */
  Set<String> markLiveCallsAffected() {
    Set<String> live = new TreeSet<>();
    for (JsonNode c : calls()) {
      if (LIVE.contains(c.path("state").asText())) {
        live.add(c.path("callId").asText());
      }
    }
    affected.addAll(live);
    return live;
  }

  /** SIGKILLs the oldest instance of each module at once; a second instance takes over, or a restart when asked. */
  Recovery kill(List<String> modules, boolean restart) throws Exception {
    Map<String, Map<String, Set<String>>> dead = new LinkedHashMap<>();
    Map<String, Map<String, Set<String>>> watched = new LinkedHashMap<>();
    Map<String, WorkerProcess> victims = new LinkedHashMap<>();
    for (String m : modules) {
      WorkerProcess victim = pipeline.worker(m);
      victims.put(m, victim);
      Map<String, Set<String>> before = groups.members(m);
      watched.put(m, before);
      dead.put(m, victimMembers.getOrDefault(victim, before));
    }
    markLiveCallsAffected();
    Instant killed = Instant.now();
    for (WorkerProcess v : victims.values()) {
      pipeline.kill(v);
    }
    List<WorkerProcess> restarted = new ArrayList<>();
    if (restart) {
      for (WorkerProcess v : victims.values()) {
        restarted.add(pipeline.restart(v));
      }
    }
    Instant recovered = killed;
    List<String> how = new ArrayList<>();
    for (String m : modules) {
      Map<String, Set<String>> toWatch = restart ? watched.get(m) : GroupWatch.withSurvivors(watched.get(m), dead.get(m));
      if (!toWatch.isEmpty()) {
        var at = groups.awaitTakenOver(toWatch, dead.get(m), Duration.ofMinutes(5));
        if (at.isEmpty()) {
          return new Recovery(Duration.ofMinutes(5), m + ": its partitions were not owned again within 5 min");
        }
        how.add(m + " partitions owned again after " + GroupWatch.seconds(killed, at.get()) + " s");
        recovered = max(recovered, at.get());
      }
    }
    for (WorkerProcess r : restarted) {
      if (r.name.equals("dialer")) {
        Pipeline.awaitHealthy(r, Duration.ofMinutes(5));
      } else {
        r.awaitLive(Duration.ofMinutes(5));
      }
      Instant at = Instant.now();
      how.add(r.name + " restarted and " + (r.name.equals("dialer") ? "healthy" : "live") + " after "
          + GroupWatch.seconds(killed, at) + " s");
      recovered = max(recovered, at);
    }
    return new Recovery(Duration.between(killed, recovered), String.join("; ", how));
  }

  private final Map<WorkerProcess, Map<String, Set<String>>> victimMembers = new LinkedHashMap<>();

  /**
   * Starts a second instance of {@code module} and waits until it joined the module's consumer groups; remembers the
   * first instance's members so that a kill of it knows which members must go.
   */
  void addSecondInstance(String module) throws Exception {
    WorkerProcess first = pipeline.worker(module);
    Map<String, Set<String>> before = groups.members(module);
    victimMembers.put(first, before);
    WorkerProcess second = pipeline.startInstance(module);
    second.awaitLive(Duration.ofMinutes(5));
    groups.awaitNewMembers(module, before, Duration.ofMinutes(3));
  }

  /** The audit once nothing is pending any more: the calls ended and every CRM command has its result. */
  CallAudit settledAudit(Duration maxWait) throws InterruptedException {
    Instant deadline = Instant.now().plus(maxWait);
    while (true) {
      CallAudit audit = CallAudit.of(kafka, campaignId, calls(), pipeline.portal, portalIdBefore);
      boolean pending = audit.lost.stream().anyMatch(f -> f.kind().equals("CRM command without result")
          || f.kind().equals("call never ended") || f.kind().equals("no CallEnded"));
      if (!pending || Instant.now().isAfter(deadline)) {
        return audit;
      }
      Thread.sleep(5000);
    }
  }

  /** The campaign's calls as the simulated carrier saw them. */
  List<JsonNode> calls() {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(pipeline.worker("simulators").uri("/simulator/calls"))
          .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
      JsonNode all = JSON.readTree(r.body());
      JsonNode list = all.isArray() ? all : all.path("calls");
      List<JsonNode> mine = new ArrayList<>();
      list.forEach(c -> {
        if (campaignId.equals(c.path("campaignId").asText(null))) {
          mine.add(c);
        }
      });
      return mine;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String campaignId() {
    return campaignId;
  }

  /** Waits until {@code n} calls are in conversation (the customer has spoken at least once). */
  private void awaitConversations(int n, Duration timeout, CompletableFuture<?> campaign) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (campaign.isDone()) {
        campaign.join();   // fails with the campaign's error
        throw new IllegalStateException("the campaign ended before " + n + " calls were live");
      }
      long live = calls().stream().filter(c -> Set.of("LISTENING", "SPEAKING").contains(c.path("state").asText())
          && c.path("turns").size() > 0).count();
      if (live >= n) {
        return;
      }
      Thread.sleep(300);
    }
    throw new IllegalStateException(n + " calls were not live within " + timeout);
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
