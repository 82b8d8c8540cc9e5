package io.salesvoice.dialer;

import static io.salesvoice.dialer.DialerHarness.campaign;
import static io.salesvoice.dialer.DialerHarness.leads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.salesvoice.dialer.domain.DialPlan;
import io.salesvoice.platform.stack.KafkaStack;
import io.salesvoice.platform.stack.LocalStackExtension;
import io.salesvoice.schema.call.AnsweredBy;
import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.call.CallEnded;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.dialer.CallRequest;
import io.salesvoice.schema.dialer.LeadState;
import io.salesvoice.schema.dialer.LeadStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The dial loop on the real broker: limits, calling hours, retries, do-not-call, pause/resume/stop and restarts. */
@ExtendWith(LocalStackExtension.class)
class DialerEngineTest {

  /** 10:00 UTC on a Monday: inside 09:00–20:00 for leads in UTC. */
  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final CampaignService.Rule ONCE = new CampaignService.Rule(1, 0L);

  private final KafkaStack stack;
  private DialerHarness h;

  DialerEngineTest(KafkaStack stack) {
    this.stack = stack;
  }

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
  }

  private DialerHarness harness(Instant start) {
    h = new DialerHarness(stack, start, Duration.ofSeconds(30));
    h.startEngine();
    return h;
  }

  private void setUp(CampaignService.CampaignRequest campaign, byte[] csv) {
    h.service.create(campaign).block(WAIT);
    CampaignService.UploadReport report = h.service.upload(campaign.id(), csv).block(WAIT);
    assertThat(report.rejected()).isEmpty();
  }

  private LeadState stateOf(String campaignId, String phone) {
    return h.state.leadState(campaignId, DialPlan.leadId(campaignId, phone));
  }

  private static void eventually(Supplier<Boolean> condition, String what) {
    Instant deadline = Instant.now().plus(WAIT);
    while (!condition.get()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not within " + WAIT + ": " + what);
      }
      sleep(20);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void neverMoreCallsInProgressThanTheCampaignAllowsAndEachEndFreesASlot() {
    harness(T0);
    setUp(campaign("conc", 2, 10, null), leads(6, "UTC"));
    h.service.start("conc").block(WAIT);

    List<CallRequest> r = h.awaitRequestCount(2);
    sleep(800);
    assertThat(h.requests()).as("two calls in progress, the limit").hasSize(2);
    assertThat(h.state.status("conc").orElseThrow().callsInProgress()).isEqualTo(2);

    int ended = 0;
    while (ended < 6) {
      r = h.awaitRequestCount(Math.min(6, ended + 2));
      h.ended(r.get(ended), CallEndReason.CUSTOMER_HANGUP);
      ended++;
      if (ended + 2 <= 6) {
        List<CallRequest> next = h.awaitRequestCount(ended + 2);
        assertThat(next.size() - ended).as("in progress after %d ended", ended).isLessThanOrEqualTo(2);
      }
    }
    eventually(() -> h.state.status("conc").orElseThrow().finished(), "all leads done");
    List<CallRequest> all = h.requests();
    assertThat(all).hasSize(6);
    assertThat(all.stream().map(CallRequest::getLeadId).distinct()).hasSize(6);
    assertThat(all).allSatisfy(c -> {
      assertThat(c.getAttempt()).isEqualTo(1);
      assertThat(c.getCallId()).isEqualTo(DialPlan.callId("conc", c.getLeadId(), 1)).doesNotContain("|");
      assertThat(c.getParameters()).containsKey("name");
      assertThat(c.getScriptId()).isEqualTo("solar-ru");
      assertThat(c.getExpiresAt()).isEqualTo(Instant.parse("2026-03-02T20:00:00Z"));
    });
    var status = h.state.status("conc").orElseThrow();
    assertThat(status.leadsByState()).containsEntry("CONNECTED", 6);
    assertThat(status.outcomes()).containsEntry("CONNECTED", 6);
    assertThat(status.attempts()).isEqualTo(6);
    assertThat(h.meters.counter("sva.dialer.calls.requested", "campaign", "conc", "retry", "false").count()).isEqualTo(6);
    assertThat(h.meters.counter("sva.dialer.outcomes", "campaign", "conc", "outcome", "CONNECTED", "source",
        "call_event").count()).isEqualTo(6);
  }

  @Test
  void callsStartAtThePacingRate() {
    harness(T0);
    setUp(campaign("paced", 20, 4, null), leads(8, "UTC"));
    h.service.start("paced").block(WAIT);

    List<Instant> at = h.awaitRequestCount(8).stream().map(CallRequest::getRequestedAt).sorted().toList();
    // 4 per second with a burst of one: never more than 5 starts within any second, and 8 take at least 1.75 s.
    for (int i = 0; i < at.size(); i++) {
      Instant from = at.get(i);
      long inSecond = at.stream().filter(t -> !t.isBefore(from) && t.isBefore(from.plusSeconds(1))).count();
      assertThat(inSecond).as("calls started within a second of %s", from).isLessThanOrEqualTo(5);
    }
    assertThat(Duration.between(at.get(0), at.get(7))).isGreaterThanOrEqualTo(Duration.ofMillis(1740));
  }

  @Test
  void leadsAreCalledOnlyWithinCallingHoursInTheirOwnTimezone() {
    harness(Instant.parse("2026-01-15T12:00:00Z"));   // 15:00 Moscow, 07:00 New York, 22:00 Vladivostok
    setUp(campaign("hours", 5, 20, null), DialerHarness.csv("""
        name,phone,timezone,language
        Moscow,+79990000001,Europe/Moscow,ru-RU
        NewYork,+12125550002,America/New_York,en-US
        Vladivostok,+79990000003,Asia/Vladivostok,ru-RU
        """));
    h.service.start("hours").block(WAIT);

    List<CallRequest> r = h.awaitRequestCount(1);
    sleep(600);
    assertThat(h.requests()).hasSize(1);
    assertThat(r.get(0).getParameters()).containsEntry("name", "Moscow");
    assertThat(r.get(0).getExpiresAt()).as("20:00 Moscow").isEqualTo(Instant.parse("2026-01-15T17:00:00Z"));
    assertThat(r.get(0).getLanguage()).isEqualTo("ru-RU");

    h.clock.advance(Duration.ofMinutes(150));   // 14:30 UTC: 09:30 New York, 00:30 Vladivostok
    r = h.awaitRequestCount(2);
    assertThat(r.get(1).getParameters()).containsEntry("name", "NewYork");
    assertThat(r.get(1).getLanguage()).isEqualTo("en-US");
    assertThat(r.get(1).getExpiresAt()).as("20:00 New York").isEqualTo(Instant.parse("2026-01-16T01:00:00Z"));
    sleep(400);
    assertThat(h.requests()).hasSize(2);

    h.clock.advance(Duration.ofMinutes(570));   // 00:00 UTC: 10:00 Vladivostok
    r = h.awaitRequestCount(3);
    assertThat(r.get(2).getParameters()).containsEntry("name", "Vladivostok");
  }

  @Test
  void noAnswerBusyAndVoicemailAreRetriedAfterTheirOwnDelaysUpToTheirAttempts() {
    harness(T0);
    setUp(campaign("retry", 5, 20, new CampaignService.Retries(new CampaignService.Rule(3, 600L),
        new CampaignService.Rule(2, 60L), new CampaignService.Rule(2, 300L))), DialerHarness.csv("""
        name,phone,timezone,language
        NoAnswer,+79990000011,UTC,ru-RU
        Busy,+79990000012,UTC,ru-RU
        Machine,+79990000013,UTC,ru-RU
        """));
    h.service.start("retry").block(WAIT);
    Map<String, CallRequest> first = h.awaitRequestCount(3).stream()
        .collect(Collectors.toMap(c -> c.getParameters().get("name"), c -> c));

    h.ended(first.get("NoAnswer"), CallEndReason.NO_ANSWER);
    h.ended(first.get("Busy"), CallEndReason.BUSY);
    h.answered(first.get("Machine"), AnsweredBy.MACHINE);
    h.ended(first.get("Machine"), CallEndReason.CUSTOMER_HANGUP);
    eventually(() -> h.state.status("retry").orElseThrow().leadsByState().getOrDefault("RETRY_WAIT", 0) == 3,
        "three leads waiting for their retry");
    assertThat(h.state.status("retry").orElseThrow().outcomes())
        .containsEntry("NO_ANSWER", 1).containsEntry("BUSY", 1).containsEntry("VOICEMAIL", 1);
    sleep(500);
    assertThat(h.requests()).as("no retry before its delay").hasSize(3);

    h.clock.advance(Duration.ofSeconds(61));
    CallRequest busyAgain = h.awaitRequestCount(4).get(3);
    assertThat(busyAgain.getParameters()).containsEntry("name", "Busy");
    assertThat(busyAgain.getAttempt()).isEqualTo(2);
    assertThat(busyAgain.getCallId()).endsWith("-a2");
    h.ended(busyAgain, CallEndReason.BUSY);
    eventually(() -> stateOf("retry", "+79990000012").getStatus() == LeadStatus.EXHAUSTED, "busy twice: done");

    h.clock.advance(Duration.ofSeconds(240));
    CallRequest machineAgain = h.awaitRequestCount(5).get(4);
    assertThat(machineAgain.getParameters()).containsEntry("name", "Machine");
    h.ended(machineAgain, CallEndReason.VOICEMAIL);
    eventually(() -> stateOf("retry", "+79990000013").getStatus() == LeadStatus.EXHAUSTED, "voicemail twice: done");

    h.clock.advance(Duration.ofSeconds(300));
    CallRequest noAnswerAgain = h.awaitRequestCount(6).get(5);
    assertThat(noAnswerAgain.getParameters()).containsEntry("name", "NoAnswer");
    h.answered(noAnswerAgain, AnsweredBy.HUMAN);
    h.ended(noAnswerAgain, CallEndReason.AGENT_HANGUP);
    eventually(() -> stateOf("retry", "+79990000011").getStatus() == LeadStatus.CONNECTED, "answered at last");

    sleep(400);
    assertThat(h.requests()).hasSize(6);
    var status = h.state.status("retry").orElseThrow();
    assertThat(status.finished()).isTrue();
    assertThat(status.attempts()).isEqualTo(6);
    assertThat(status.outcomes()).containsEntry("NO_ANSWER", 1).containsEntry("BUSY", 2).containsEntry("VOICEMAIL", 2)
        .containsEntry("CONNECTED", 1);
  }

  @Test
  void aRequestNoCallEventEverAnswersCountsAsNoAnswerButAStartedCallHoldsItsSlot() {
    harness(T0);
    setUp(campaign("silent", 1, 20, new CampaignService.Retries(new CampaignService.Rule(3, 0L), ONCE, ONCE)),
        leads(1, "UTC"));
    h.service.start("silent").block(WAIT);
    CallRequest first = h.awaitRequestCount(1).get(0);

    h.clock.advance(Duration.ofSeconds(61));   // ring timeout 30 s + margin 30 s
    CallRequest second = h.awaitRequestCount(2).get(1);
    assertThat(second.getAttempt()).isEqualTo(2);
    LeadState afterFirst = stateOf("silent", "+79990000000");
    assertThat(afterFirst.getHistory().get(0).getDetail()).contains("ring timeout");
    assertThat(h.meters.counter("sva.dialer.outcomes", "campaign", "silent", "outcome", "NO_ANSWER", "source",
        "ring_timeout").count()).isEqualTo(1);

    h.ended(first, CallEndReason.CUSTOMER_HANGUP);   // too late: that call is settled already
    h.answered(second, AnsweredBy.HUMAN);
    eventually(() -> h.requests().size() == 2, "nothing new");
    sleep(300);
    h.clock.advance(Duration.ofMinutes(10));
    sleep(600);
    assertThat(h.requests()).as("the answered call is in progress, however long").hasSize(2);
    assertThat(stateOf("silent", "+79990000000").getStatus()).isEqualTo(LeadStatus.DIALING);
    h.ended(second, CallEndReason.CUSTOMER_HANGUP);
    eventually(() -> stateOf("silent", "+79990000000").getStatus() == LeadStatus.CONNECTED, "connected");
  }

  @Test
  void aStartedCallWhoseEndNeverComesIsEndedByTheDialerAfterTheMaximumDuration() {
    // the media edge carrying the call was killed: nobody else writes its CallEnded, and the campaign must not stall
    harness(T0);
    setUp(campaign("orphan", 1, 20, new CampaignService.Retries(ONCE, ONCE, ONCE)), leads(2, "UTC"));
    h.service.start("orphan").block(WAIT);
    CallRequest first = h.awaitRequestCount(1).get(0);
    h.answered(first, AnsweredBy.HUMAN);
    sleep(300);
    h.clock.advance(DialerHarness.MAX_CALL_DURATION.minusMinutes(1));
    sleep(600);
    assertThat(h.requests()).as("still within the maximum: the call holds the campaign's only slot").hasSize(1);

    h.clock.advance(Duration.ofMinutes(2));
    CallRequest second = h.awaitRequestCount(2).get(1);
    assertThat(second.getLeadId()).isNotEqualTo(first.getLeadId());
    LeadState orphaned = h.state.leadState("orphan", first.getLeadId().toString());
    assertThat(orphaned.getHistory().get(0).getDetail()).contains("ended by the dialer");
    // every consumer of sva.calls (dialog, CRM wrap-up, analytics) learns that the call ended
    List<CallEvent> ends = h.clients.read(h.topics.calls(), 100, Duration.ofSeconds(10)).stream()
        .map(r -> (CallEvent) r.value())
        .filter(e -> e.getCallId().toString().equals(first.getCallId().toString()) && e.getEvent() instanceof CallEnded)
        .toList();
    assertThat(ends).singleElement().satisfies(e ->
        assertThat(((CallEnded) e.getEvent()).getDetail().toString()).contains("ended by the dialer"));
  }

  @Test
  void theDoNotCallListIsHonouredAtDialTimeEvenForLeadsUploadedOrQueuedBefore() {
    harness(T0);
    setUp(campaign("dnc", 5, 20, new CampaignService.Retries(new CampaignService.Rule(2, 60L), ONCE, ONCE)),
        leads(3, "UTC"));
    h.service.addToDoNotCall(List.of("+7 999 000-00-01")).block(WAIT);
    h.service.start("dnc").block(WAIT);

    List<CallRequest> r = h.awaitRequestCount(2);
    sleep(500);
    assertThat(h.requests()).hasSize(2);
    assertThat(r).extracting(CallRequest::getPhoneNumber).containsExactlyInAnyOrder("+79990000000", "+79990000002");
    eventually(() -> stateOf("dnc", "+79990000001") != null, "the listed lead is settled");
    assertThat(stateOf("dnc", "+79990000001").getStatus()).isEqualTo(LeadStatus.DO_NOT_CALL);
    assertThat(stateOf("dnc", "+79990000001").getAttempts()).isZero();

    CallRequest lead0 = r.stream().filter(c -> c.getPhoneNumber().equals("+79990000000")).findFirst().orElseThrow();
    h.ended(lead0, CallEndReason.NO_ANSWER);
    eventually(() -> stateOf("dnc", "+79990000000").getStatus() == LeadStatus.RETRY_WAIT, "queued for a retry");
    h.service.addToDoNotCall(List.of("+79990000000")).block(WAIT);
    h.clock.advance(Duration.ofSeconds(61));
    eventually(() -> stateOf("dnc", "+79990000000").getStatus() == LeadStatus.DO_NOT_CALL, "the retry is skipped");
    sleep(300);
    assertThat(h.requests()).hasSize(2);
    assertThat(h.meters.counter("sva.dialer.dnc.skipped", "campaign", "dnc").count()).isEqualTo(2);
    assertThat(h.state.status("dnc").orElseThrow().leadsByState()).containsEntry("DO_NOT_CALL", 2);

    h.service.removeFromDoNotCall("+79990000001").block(WAIT);
    assertThat(h.service.onDoNotCallList("+79990000001")).isFalse();
    assertThat(h.service.onDoNotCallList("+79990000000")).isTrue();
  }

  @Test
  void pauseHoldsNewCallsResumeGoesOnAndStopEndsTheCampaign() {
    harness(T0);
    setUp(campaign("pausing", 1, 20, null), leads(4, "UTC"));
    assertThatThrownBy(() -> h.service.pause("pausing").block(WAIT)).isInstanceOf(CampaignService.Conflict.class)
        .hasMessageContaining("is DRAFT");
    h.service.start("pausing").block(WAIT);
    CallRequest first = h.awaitRequestCount(1).get(0);

    h.service.pause("pausing").block(WAIT);
    h.ended(first, CallEndReason.CUSTOMER_HANGUP);
    eventually(() -> h.state.status("pausing").orElseThrow().callsInProgress() == 0, "the call in progress ended");
    sleep(600);
    assertThat(h.requests()).as("paused: nothing new").hasSize(1);
    assertThatThrownBy(() -> h.service.start("pausing").block(WAIT)).isInstanceOf(CampaignService.Conflict.class);

    h.service.resume("pausing").block(WAIT);
    CallRequest second = h.awaitRequestCount(2).get(1);
    h.service.stop("pausing").block(WAIT);
    h.ended(second, CallEndReason.CUSTOMER_HANGUP);
    eventually(() -> h.state.status("pausing").orElseThrow().callsInProgress() == 0, "the last call ended");
    sleep(600);
    assertThat(h.requests()).as("stopped: nothing new").hasSize(2);
    var status = h.state.status("pausing").orElseThrow();
    assertThat(status.status()).isEqualTo("STOPPED");
    assertThat(status.leadsByState()).containsEntry("PENDING", 2).containsEntry("CONNECTED", 2);
    assertThatThrownBy(() -> h.service.resume("pausing").block(WAIT)).isInstanceOf(CampaignService.Conflict.class);
  }

  @Test
  void aRestartedDialerNeitherLosesNorRepeatsACall() {
    harness(T0);
    int leads = 12;
    setUp(campaign("restart", 3, 20, new CampaignService.Retries(new CampaignService.Rule(2, 0L), ONCE, ONCE)),
        leads(leads, "UTC"));
    h.service.start("restart").block(WAIT);

    Set<String> ended = new HashSet<>();
    Runnable answerAll = () -> h.requests().stream().filter(c -> ended.add(c.getCallId()))
        .forEach(c -> h.ended(c, CallEndReason.NO_ANSWER));
    h.awaitRequests(l -> {
      answerAll.run();
      return l.size() >= 9;
    }, WAIT);
    h.stopEngine();   // mid-campaign: calls in progress, leads waiting, retries queued
    int before = h.requests().size();
    assertThat(before).isLessThan(2 * leads);
    answerAll.run();   // calls that end while no dialer runs

    h.newInstance();
    h.startEngine();
    eventually(() -> {
      answerAll.run();
      return h.state.status("restart").map(s -> s.finished()).orElse(false);
    }, "every lead called twice after the restart");
    sleep(500);

    List<CallRequest> all = h.requests();
    Map<String, Long> perCall = all.stream().collect(Collectors.groupingBy(CallRequest::getCallId, Collectors.counting()));
    assertThat(perCall.values()).as("each lead and attempt requested exactly once").allMatch(n -> n == 1);
    assertThat(all).hasSize(2 * leads);
    Map<String, List<Integer>> attempts = all.stream().collect(Collectors.groupingBy(CallRequest::getLeadId,
        Collectors.mapping(CallRequest::getAttempt, Collectors.toList())));
    assertThat(attempts).hasSize(leads);
    attempts.values().forEach(a -> assertThat(a).containsExactlyInAnyOrder(1, 2));
    var status = h.state.status("restart").orElseThrow();
    assertThat(status.leadsByState()).containsEntry("EXHAUSTED", leads);
    assertThat(status.outcomes()).containsEntry("NO_ANSWER", 2 * leads);
  }

  @Test
  void twoDialersSharingTheWorkNeverDialALeadTwice() {
    harness(T0);
    DialerState otherState = new DialerState();
    DialerEngine other = new DialerEngine(h.clients.settings(), h.topics, otherState,
        new DialerEngine.Settings(h.groupId, DialerHarness.PARTITIONS, Duration.ofSeconds(30), Duration.ofHours(1),
            Duration.ofMinutes(30)),
        h.clock, h.metrics).start();
    try {
      List<String> ids = List.of("two-a", "two-b", "two-c", "two-d");
      for (String id : ids) {
        setUp(campaign(id, 2, 20, new CampaignService.Retries(new CampaignService.Rule(2, 0L), ONCE, ONCE)),
            leads(5, "UTC"));
        h.service.start(id).block(WAIT);
      }
      Set<String> ended = new HashSet<>();
      eventually(() -> {
        h.requests().stream().filter(c -> ended.add(c.getCallId())).forEach(c -> h.ended(c, CallEndReason.NO_ANSWER));
        return ids.stream().allMatch(id -> h.state.status(id).map(s -> s.finished()).orElse(false));
      }, "every campaign done");
      sleep(500);
      List<CallRequest> all = h.requests();
      assertThat(all).hasSize(ids.size() * 5 * 2);
      assertThat(all.stream().map(CallRequest::getCallId).distinct()).hasSize(all.size());
      assertThat(ids.stream().filter(id -> h.engine.owns(id) == other.owns(id)).toList())
          .as("each campaign has one owner").isEmpty();
    } finally {
      other.close();
    }
  }

  @Test
  void aFencedDialerStopsDiallingThenTakesThePartitionUpAgainWithoutRepeatingACall() throws Exception {
    harness(T0);
    setUp(campaign("zombie", 1, 20, null), leads(3, "UTC"));
    h.service.start("zombie").block(WAIT);
    CallRequest first = h.awaitRequestCount(1).get(0);

    // Another producer with the partition's transactional id, as a new owner would open: it fences this dialer.
    int partition = CampaignPartitions.of("zombie", DialerHarness.PARTITIONS);
    Map<String, Object> config = new java.util.HashMap<>(h.clients.settings().producerConfig());
    config.put(org.apache.kafka.clients.producer.ProducerConfig.TRANSACTIONAL_ID_CONFIG, h.groupId + "-p" + partition);
    try (var usurper = new org.apache.kafka.clients.producer.KafkaProducer<String, Object>(config)) {
      usurper.initTransactions();
      h.ended(first, CallEndReason.CUSTOMER_HANGUP);
      eventually(() -> !h.engine.owns("zombie"), "the fenced dialer gives the campaign up");
      assertThat(h.requests()).hasSize(1);
    }
    eventually(() -> h.engine.owns("zombie"), "the partition, still assigned by the group, is taken up again");
    Set<String> ended = new HashSet<>(Set.of(first.getCallId()));
    eventually(() -> {
      h.requests().stream().filter(c -> ended.add(c.getCallId())).forEach(c -> h.ended(c, CallEndReason.CUSTOMER_HANGUP));
      return h.state.status("zombie").map(s -> s.finished()).orElse(false);
    }, "every lead called");
    List<CallRequest> all = h.requests();
    assertThat(all).hasSize(3);
    assertThat(all.stream().map(CallRequest::getLeadId).distinct()).hasSize(3);
    assertThat(h.state.status("zombie").orElseThrow().leadsByState()).containsEntry("CONNECTED", 3);
  }
}
