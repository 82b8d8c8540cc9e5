package io.salesvoice.analytics.topology;

import static io.salesvoice.analytics.Records.agentAudio;
import static io.salesvoice.analytics.Records.answered;
import static io.salesvoice.analytics.Records.bargeIn;
import static io.salesvoice.analytics.Records.crm;
import static io.salesvoice.analytics.Records.ended;
import static io.salesvoice.analytics.Records.said;
import static io.salesvoice.analytics.Records.say;
import static io.salesvoice.analytics.Records.started;
import static io.salesvoice.analytics.Records.turn;
import static io.salesvoice.analytics.topology.TopologyFixture.T0;
import static io.salesvoice.analytics.topology.TopologyFixture.min;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.salesvoice.analytics.domain.Conversation;
import io.salesvoice.analytics.domain.Outcomes;
import io.salesvoice.analytics.state.CallState;
import io.salesvoice.schema.analytics.CallSummary;
import io.salesvoice.schema.analytics.CampaignStats;
import io.salesvoice.schema.analytics.StageLatency;
import io.salesvoice.schema.analytics.TimelineEntry;
import io.salesvoice.schema.call.AnsweredBy;
import io.salesvoice.schema.call.CallDirection;
import io.salesvoice.schema.call.CallEndReason;
import io.salesvoice.schema.call.CallEvent;
import io.salesvoice.schema.crm.CrmStatus;
import io.salesvoice.schema.dialog.DialogAction;
import io.salesvoice.schema.transcript.Transcript;
import io.salesvoice.schema.audio.Channel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AnalyticsTopologyTest {

  private TopologyFixture t;

  @BeforeEach
  void start() {
    t = new TopologyFixture();
  }

  @AfterEach
  void stop() {
    t.close();
  }

  /** c1: a complete live call that books a meeting; every stage timed from the records' own timestamps. */
  private void bookedCall(String callId, String campaign, long start) {
    t.call(started(callId, campaign, CallDirection.OUTBOUND, start));
    t.call(answered(callId, campaign, AnsweredBy.HUMAN, start + 2_000));
    t.turn(say(callId, callId + "-t1", "Hello, this is Anna from Acme.", "greeting", null, start + 3_000));
    audioOf(callId, callId + "-t1", start + 3_200, 10);
    t.transcript(said(callId, callId + "-u1", "Hi", 5_000, 6_000, start + 6_200, 300));
    t.turn(turn(callId, callId + "-t2", 0, false, "I am calling about our CRM.", "introduction", "greet",
        DialogAction.SPEAK, callId + "-u1", start + 6_900, Map.of()));
    t.turn(turn(callId, callId + "-t2", 1, true, "We have an offer for you.", "offer", "greet",
        DialogAction.SPEAK, callId + "-u1", start + 7_000, Map.of()));
    audioOf(callId, callId + "-t2", start + 7_500, 20);
    t.transcript(said(callId, callId + "-u2", "Sure, let's meet on Tuesday", 10_000, 12_000, start + 12_200, 200));
    t.turn(turn(callId, callId + "-t3", 0, true, "Great, I booked Tuesday 10am.", "next_step", "book_meeting",
        DialogAction.SPEAK, callId + "-u2", start + 12_900, Map.of("day", "Tuesday")));
    audioOf(callId, callId + "-t3", start + 13_600, 15);
    t.crm(crm(callId, campaign, "ScheduleActivity", callId + ":activity:meeting", CrmStatus.APPLIED, start + 14_000));
    t.call(ended(callId, campaign, CallEndReason.CUSTOMER_HANGUP, 15_000, start + 15_000));
  }

  private void audioOf(String callId, String turnId, long first, int chunks) {
    for (int i = 0; i < chunks; i++) {
      t.audio(agentAudio(callId, turnId, 1000L * turnId.hashCode() + i, 100, first + i * 100L));
    }
  }

  @Test
  void callViewHasTimelineOutcomeSlotsLatencyAndQaScore() {
    long start = min(0);
    bookedCall("c1", "spring", start);

    CallSummary s = t.lastSummary("c1");
    assertThat(s).isNotNull();
    assertThat(s.getCampaignId()).isEqualTo("spring");
    assertThat(s.getReplay()).isFalse();
    assertThat(s.getOutcome()).isEqualTo(Outcomes.MEETING_BOOKED);
    assertThat(s.getEndReason()).isEqualTo("CUSTOMER_HANGUP");
    assertThat(s.getSlots()).containsExactlyEntriesOf(Map.of("day", "Tuesday"));
    assertThat(s.getStatesVisited()).containsExactly("greeting", "introduction", "offer", "next_step");
    assertThat(s.getTimeline()).extracting(TimelineEntry::getSpeaker).containsExactly(
        "SYSTEM", "SYSTEM", "AGENT", "CUSTOMER", "AGENT", "CUSTOMER", "AGENT", "SYSTEM", "SYSTEM");
    assertThat(s.getTimeline().get(4).getText()).isEqualTo("I am calling about our CRM. We have an offer for you.");
    assertThat(s.getTimeline().get(4).getAt()).isEqualTo(Instant.ofEpochMilli(start + 7_500));
    assertThat(s.getCustomerTalkMs()).isEqualTo(3_000);
    assertThat(s.getAgentTalkMs()).isEqualTo(4_500);
    assertThat(s.getLatencyMs()).containsEntry(Conversation.SPEECH_END_TO_TRANSCRIPT, 250L)
        .containsEntry(Conversation.SPEECH_END_TO_TRANSCRIPT + ".max", 300L)
        .containsEntry(Conversation.TRANSCRIPT_TO_FIRST_TURN, 450L)
        .containsEntry(Conversation.TURN_TO_FIRST_AUDIO, 650L)
        .containsEntry(Conversation.SPEECH_END_TO_FIRST_AUDIO, 1_350L);
    assertThat(s.getQaScore()).isEqualTo(100.0);
    assertThat(s.getQaReasons()).isEmpty();

    CampaignStats total = t.total("spring", false);
    assertThat(total.getCallsStarted()).isEqualTo(1);
    assertThat(total.getCallsAnswered()).isEqualTo(1);
    assertThat(total.getReachedHuman()).isEqualTo(1);
    assertThat(total.getCallsCompleted()).isEqualTo(1);
    assertThat(total.getOutcomes()).containsExactlyEntriesOf(Map.of(Outcomes.MEETING_BOOKED, 1L));
    assertThat(total.getConversionRate()).isEqualTo(1.0);
    assertThat(total.getAverageTalkMs()).isEqualTo(15_000);
    assertThat(total.getAgentTalkRatio()).isCloseTo(0.6, within(1e-9));
    assertThat(total.getAverageQaScore()).isEqualTo(100.0);
    assertThat(latency(total, Conversation.SPEECH_END_TO_TRANSCRIPT, "sphinx4").getCount()).isEqualTo(2);
    assertThat(latency(total, Conversation.TRANSCRIPT_TO_FIRST_TURN, "script").getCount()).isEqualTo(2);
    assertThat(latency(total, Conversation.TURN_TO_FIRST_AUDIO, "*").getP99Ms()).isCloseTo(700L, within(28L));
  }

  @Test
  void campaignFiguresInTumblingHoppingWindowsAndInTotal() {
    // A: 10:10 human, not interested, 2 min.  B: 10:20 voicemail.  C: 11:10 human, meeting, 5 min, 2 barge-ins.
    // D: 11:20 never answered.
    t.call(started("a", "w", CallDirection.OUTBOUND, min(10)));
    t.call(answered("a", "w", AnsweredBy.HUMAN, min(10) + 1_000));
    t.turn(say("a", "a-t1", "Understood, have a nice day.", "not_interested", null, min(11)));
    t.call(ended("a", "w", CallEndReason.CUSTOMER_HANGUP, 120_000, min(12)));
    t.call(started("b", "w", CallDirection.OUTBOUND, min(20)));
    t.call(answered("b", "w", AnsweredBy.MACHINE, min(20) + 1_000));
    t.call(ended("b", "w", CallEndReason.VOICEMAIL, 30_000, min(21)));
    t.call(started("c", "w", CallDirection.OUTBOUND, min(70)));
    t.call(answered("c", "w", AnsweredBy.HUMAN, min(70) + 1_000));
    t.call(bargeIn("c", "w", min(71)));
    t.call(bargeIn("c", "w", min(72)));
    t.turn(say("c", "c-t1", "See you on Monday.", "meeting_booked", null, min(74)));
    t.call(ended("c", "w", CallEndReason.AGENT_HANGUP, 300_000, min(75)));
    t.call(started("d", "w", CallDirection.OUTBOUND, min(80)));
    t.call(ended("d", "w", CallEndReason.NO_ANSWER, 0, min(81)));

    CampaignStats total = t.total("w", false);
    assertThat(total.getCallsStarted()).isEqualTo(4);
    assertThat(total.getCallsAnswered()).isEqualTo(3);
    assertThat(total.getReachedHuman()).isEqualTo(2);
    assertThat(total.getCallsCompleted()).isEqualTo(3);
    assertThat(total.getOutcomes()).containsExactlyInAnyOrderEntriesOf(Map.of(Outcomes.NOT_INTERESTED, 1L,
        Outcomes.VOICEMAIL, 1L, Outcomes.MEETING_BOOKED, 1L, Outcomes.NO_ANSWER, 1L));
    assertThat(total.getConversionRate()).isEqualTo(0.5);
    assertThat(total.getAverageTalkMs()).isEqualTo(150_000);
    assertThat(total.getP90TalkMs()).isCloseTo(300_000L, within(12_000L));
    assertThat(total.getBargeIns()).isEqualTo(2);

    List<CampaignStats> tumbling = t.windows(AnalyticsTopology.CAMPAIGN_TUMBLING_STORE, "w");
    assertThat(tumbling).extracting(CampaignStats::getWindowStart)
        .containsExactly(Instant.ofEpochMilli(min(0)), Instant.ofEpochMilli(min(60)));
    assertThat(tumbling.get(0).getCallsStarted()).isEqualTo(2);
    assertThat(tumbling.get(0).getReachedHuman()).isEqualTo(1);
    assertThat(tumbling.get(0).getOutcomes()).containsOnlyKeys(Outcomes.NOT_INTERESTED, Outcomes.VOICEMAIL);
    assertThat(tumbling.get(0).getConversionRate()).isEqualTo(0.0);
    assertThat(tumbling.get(1).getCallsStarted()).isEqualTo(2);
    assertThat(tumbling.get(1).getCallsAnswered()).isEqualTo(1);
    assertThat(tumbling.get(1).getConversionRate()).isEqualTo(1.0);
    assertThat(tumbling.get(1).getBargeIns()).isEqualTo(2);

    Map<Long, Long> hopping = t.windows(AnalyticsTopology.CAMPAIGN_HOPPING_STORE, "w").stream()
        .collect(Collectors.toMap(w -> (w.getWindowStart().toEpochMilli() - min(0)) / 60_000,
            CampaignStats::getCallsStarted));
    assertThat(hopping).containsExactlyInAnyOrderEntriesOf(Map.of(-45L, 1L, -30L, 2L, -15L, 2L, 0L, 2L, 15L, 2L,
        30L, 2L, 45L, 2L, 60L, 2L, 75L, 1L));

    // The same figures reach sva.analytics.campaigns, keyed by campaign id, one record per window kind.
    List<KeyValue<String, CampaignStats>> published = t.campaigns.readKeyValuesToList();
    assertThat(published).allSatisfy(kv -> assertThat(kv.key).isEqualTo("w"));
    CampaignStats lastTotal = published.stream().map(kv -> kv.value).filter(v -> v.getWindow().equals("total"))
        .reduce((a, b) -> b).orElseThrow();
    assertThat(lastTotal.getCallsStarted()).isEqualTo(4);
    assertThat(lastTotal.getConversionRate()).isEqualTo(0.5);
    assertThat(published).extracting(kv -> kv.value.getWindow())
        .contains("total", "tumbling-1h", "hopping-1h-every-15m");
  }

  @Test
  void replayedCallsAreKeptApartFromLiveFiguresAndScoredToo() {
    bookedCall("live", "w", min(0));
    String r = "replayed";
    t.call(started(r, "w", CallDirection.REPLAY, min(5)));
    t.call(answered(r, "w", AnsweredBy.HUMAN, min(5)));
    t.transcript(Transcript.newBuilder(said(r, "r-u1", "Hello, we guarantee results", 0, 3_000, min(5) + 3_000, 100))
        .setChannel(Channel.AGENT).build());
    t.transcript(said(r, "r-u2", "Okay", 4_000, 4_500, min(5) + 4_500, 100));
    t.call(ended(r, "w", CallEndReason.REPLAY_FINISHED, 5_000, min(5) + 5_000));

    CampaignStats live = t.total("w", false);
    CampaignStats replay = t.total("w", true);
    assertThat(live.getCallsStarted()).isEqualTo(1);
    assertThat(live.getReplay()).isFalse();
    assertThat(replay.getCallsStarted()).isEqualTo(1);
    assertThat(replay.getReplay()).isTrue();
    assertThat(replay.getOutcomes()).containsOnlyKeys(Outcomes.NO_DECISION);

    CallSummary s = t.lastSummary(r);
    assertThat(s.getReplay()).isTrue();
    assertThat(s.getAgentTalkMs()).isEqualTo(3_000);
    // No script states on a recording; the agent said a forbidden phrase and talked 86% of the time.
    assertThat(s.getQaScore()).isEqualTo(100.0 - 4 * 15 - 10 - 10);
    assertThat(s.getQaReasons()).anyMatch(x -> x.contains("forbidden phrase \"guarantee\""))
        .anyMatch(x -> x.contains("agent talked 86%"))
        .anyMatch(x -> x.contains("required state not visited: greeting"));
    assertThat(t.campaigns.readValuesToList()).anyMatch(v -> v.getReplay() && v.getCampaignId().equals("w"));
  }

  @Test
  void lateAndOutOfOrderRecordsCorrectTheFiguresWithoutDoubleCounting() {
    // The end arrives first; the call is filed under 11:00 until its answer and start say it began at 10:50.
    t.call(ended("x", "late", CallEndReason.CUSTOMER_HANGUP, 900_000, min(65)));
    assertThat(t.windows(AnalyticsTopology.CAMPAIGN_TUMBLING_STORE, "late")).singleElement()
        .satisfies(w -> assertThat(w.getOutcomes()).containsOnlyKeys(Outcomes.NO_ANSWER));
    CallEvent answer = answered("x", "late", AnsweredBy.HUMAN, min(51));
    t.call(answer);
    t.call(answer); // redelivered
    t.call(started("x", "late", CallDirection.OUTBOUND, min(50)));
    // Sentences of one turn arrive out of order.
    t.turn(turn("x", "x-t1", 1, true, "B.", "offer", null, DialogAction.SPEAK, null, min(52) + 10, Map.of()));
    t.turn(turn("x", "x-t1", 0, false, "A.", "offer", null, DialogAction.SPEAK, null, min(52), Map.of()));
    // The CRM's answer comes after the hang-up and settles the outcome.
    t.crm(crm("x", "late", "MarkDoNotCall", "x:dnc", CrmStatus.APPLIED, min(66)));

    List<CampaignStats> tumbling = t.windows(AnalyticsTopology.CAMPAIGN_TUMBLING_STORE, "late");
    CampaignStats tenOClock = tumbling.stream().filter(w -> w.getWindowStart().toEpochMilli() == min(0)).findFirst()
        .orElseThrow();
    assertThat(tenOClock.getCallsStarted()).isEqualTo(1);
    assertThat(tenOClock.getCallsAnswered()).isEqualTo(1);
    assertThat(tenOClock.getCallsCompleted()).isEqualTo(1);
    assertThat(tenOClock.getOutcomes()).containsExactlyEntriesOf(Map.of(Outcomes.DO_NOT_CALL, 1L));
    tumbling.stream().filter(w -> w.getWindowStart().toEpochMilli() == min(60)).forEach(eleven -> {
      assertThat(eleven.getCallsStarted()).isZero();
      assertThat(eleven.getCallsCompleted()).isZero();
      assertThat(eleven.getOutcomes()).isEmpty();
    });
    CampaignStats total = t.total("late", false);
    assertThat(total.getCallsAnswered()).isEqualTo(1);
    assertThat(total.getOutcomes()).containsExactlyEntriesOf(Map.of(Outcomes.DO_NOT_CALL, 1L));
    t.wait(Duration.ofSeconds(1));
    assertThat(t.lastSummary("x").getTimeline()).extracting(TimelineEntry::getText).contains("A. B.");

    // A call from 08:00 arriving now is past its windows' grace: it counts in the total only.
    t.call(started("old", "late", CallDirection.OUTBOUND, min(-120)));
    assertThat(t.total("late", false).getCallsStarted()).isEqualTo(2);
    assertThat(t.windows(AnalyticsTopology.CAMPAIGN_TUMBLING_STORE, "late"))
        .noneMatch(w -> w.getWindowStart().toEpochMilli() == min(-120));
  }

  @Test
  void aCallThatNeverEndsIsClosedByInactivity() {
    t.call(started("idle", "i", CallDirection.OUTBOUND, min(0)));
    t.call(answered("idle", "i", AnsweredBy.HUMAN, min(0) + 1_000));
    t.transcript(said("idle", "idle-u1", "Hello?", 2_000, 3_000, min(0) + 3_000, 100));

    t.wait(Duration.ofMinutes(4));
    assertThat(t.callState("idle").getEndedAt()).isNull();
    assertThat(t.total("i", false).getCallsCompleted()).isZero();

    t.wait(Duration.ofMinutes(2));
    CallState closed = t.callState("idle");
    assertThat(closed.getEndReason()).isEqualTo("INACTIVITY");
    assertThat(closed.getEndedAt()).isEqualTo(min(0) + 3_100);
    CallSummary s = t.lastSummary("idle");
    assertThat(s.getEndReason()).isEqualTo("INACTIVITY");
    assertThat(s.getOutcome()).isEqualTo(Outcomes.NO_DECISION);
    CampaignStats total = t.total("i", false);
    assertThat(total.getCallsCompleted()).isEqualTo(1);
    assertThat(total.getAverageTalkMs()).isEqualTo(2_100);

    // The gateway's own end arrives after all: it replaces the guess, the call is still counted once.
    t.call(ended("idle", "i", CallEndReason.CUSTOMER_HANGUP, 4_000, min(0) + 4_000));
    assertThat(t.callState("idle").getEndReason()).isEqualTo("CUSTOMER_HANGUP");
    total = t.total("i", false);
    assertThat(total.getCallsCompleted()).isEqualTo(1);
    assertThat(total.getOutcomes()).containsExactlyEntriesOf(Map.of(Outcomes.NO_DECISION, 1L));
    assertThat(total.getAverageTalkMs()).isEqualTo(4_000);
  }

  @Test
  void stageLatencyPercentilesPerCampaignAndPerEngine() {
    for (String call : List.of("s", "v")) {
      t.call(started(call, "lat", CallDirection.INBOUND, min(0)));
    }
    for (int i = 1; i <= 10; i++) {
      t.transcript(said("s", "s-u" + i, "x", i * 1_000, i * 1_000 + 500, min(1) + i * 20_000, i * 100L));
      t.transcript(Transcript.newBuilder(said("v", "v-u" + i, "x", i * 1_000, i * 1_000 + 500, min(1) + i * 20_000,
          i * 1_000L)).setEngine("vosk").build());
    }
    CampaignStats total = t.total("lat", false);
    StageLatency sphinx = latency(total, Conversation.SPEECH_END_TO_TRANSCRIPT, "sphinx4");
    assertThat(sphinx.getCount()).isEqualTo(10);
    assertThat(sphinx.getP50Ms()).isCloseTo(500L, within(20L));
    assertThat(sphinx.getP90Ms()).isCloseTo(900L, within(36L));
    assertThat(sphinx.getP99Ms()).isCloseTo(1_000L, within(40L));
    StageLatency vosk = latency(total, Conversation.SPEECH_END_TO_TRANSCRIPT, "vosk");
    assertThat(vosk.getP50Ms()).isCloseTo(5_000L, within(200L));
    StageLatency all = latency(total, Conversation.SPEECH_END_TO_TRANSCRIPT, "*");
    assertThat(all.getCount()).isEqualTo(20);
    assertThat(all.getP50Ms()).isCloseTo(1_000L, within(40L));
    assertThat(all.getP90Ms()).isCloseTo(8_000L, within(320L));
    assertThat(all.getP99Ms()).isCloseTo(10_000L, within(400L));

    // Redelivered transcripts are not measured twice.
    t.transcript(said("s", "s-u1", "x", 1_000, 1_500, min(1) + 20_000, 100));
    assertThat(latency(t.total("lat", false), Conversation.SPEECH_END_TO_TRANSCRIPT, "sphinx4").getCount()).isEqualTo(10);
  }

  @Test
  void poisonRecordsAreSkippedCountedAndDoNotStopTheViews() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Metrics.addRegistry(meters);
    try {
      t.rawCalls.pipeInput("bad", new byte[] {0, 0, 0, 0, 1, 42});
      t.call(started("ok", "p", CallDirection.OUTBOUND, min(0)));
      assertThat(t.total("p", false).getCallsStarted()).isEqualTo(1);
      assertThat(meters.find(SkippedRecords.METRIC).tag("topic", "sva.calls").tag("reason", "deserialization")
          .counter()).isNotNull()
          .satisfies(c -> assertThat(c.count()).isEqualTo(1.0));
    } finally {
      Metrics.removeRegistry(meters);
    }
  }

  @Test
  void changedCallsArePublishedOncePerIntervalAndEndedCallsAreForgottenAfterRetention() {
    t.call(started("p1", "pub", CallDirection.OUTBOUND, min(0)));
    t.call(answered("p1", "pub", AnsweredBy.HUMAN, min(0) + 500));
    assertThat(t.summaries.isEmpty()).isTrue();
    t.wait(Duration.ofSeconds(1));
    assertThat(t.summaries.readValuesToList()).singleElement()
        .satisfies(s -> assertThat(s.getTimeline()).hasSize(2));
    t.call(ended("p1", "pub", CallEndReason.CUSTOMER_HANGUP, 1_000, min(0) + 1_500));
    assertThat(t.summaries.readValuesToList()).singleElement()
        .satisfies(s -> assertThat(s.getEndReason()).isEqualTo("CUSTOMER_HANGUP"));

    t.wait(Duration.ofDays(8));
    assertThat(t.callState("p1")).isNull();
    assertThat(t.total("pub", false).getCallsCompleted()).isEqualTo(1);
  }

  @Test
  void everyStatefulOperatorAndInternalTopicIsNamed() {
    String description = AnalyticsTopology.build(TopologyFixture.SETTINGS, new PlainAvroSerdes()).describe().toString();
    assertThat(description).doesNotContain("KSTREAM-", "KTABLE-")
        .contains("crm-results-by-call-repartition", "agent-audio-by-call-repartition", "campaign-deltas-repartition",
            AnalyticsTopology.CALL_STORE, AnalyticsTopology.CAMPAIGN_TOTAL_STORE,
            AnalyticsTopology.CAMPAIGN_TUMBLING_STORE, AnalyticsTopology.CAMPAIGN_HOPPING_STORE);
  }

  private static StageLatency latency(CampaignStats stats, String stage, String engine) {
    return stats.getLatency().stream().filter(l -> l.getStage().equals(stage) && l.getEngine().equals(engine))
        .findFirst().orElseThrow(() -> new AssertionError("no " + stage + "|" + engine + " in " + stats.getLatency()));
  }

  @SuppressWarnings("unused")
  private static final Instant EPOCH_CHECK = T0;
}
