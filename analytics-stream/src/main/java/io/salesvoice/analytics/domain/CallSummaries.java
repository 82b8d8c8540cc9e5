package io.salesvoice.analytics.domain;

import io.salesvoice.analytics.state.CallState;
import io.salesvoice.schema.analytics.CallSummary;
import io.salesvoice.schema.analytics.TimelineEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.TreeMap;

/** Turns a call's state into the {@link CallSummary} a QA reviewer reads. */
public final class CallSummaries {

  private CallSummaries() {
  }

  public static CallSummary of(CallState s, QaScorer scorer, long now) {
    return of(s, scorer.score(s), now);
  }

  /** The summary with the call's QA score already worked out. */
  public static CallSummary of(CallState s, QaScorer.Score qa, long now) {
    var timeline = new ArrayList<TimelineEntry>();
    for (Conversation.Entry e : Conversation.timeline(s)) {
      timeline.add(TimelineEntry.newBuilder().setAt(Instant.ofEpochMilli(e.at())).setSpeaker(e.speaker())
          .setText(e.text()).setState(e.state()).build());
    }
    return CallSummary.newBuilder()
        .setCallId(s.getCallId())
        .setCampaignId(s.getCampaignId())
        .setReplay(CallStates.isReplay(s))
        .setStartedAt(s.getStartedAt() == null ? null : Instant.ofEpochMilli(s.getStartedAt()))
        .setEndedAt(s.getEndedAt() == null ? null : Instant.ofEpochMilli(s.getEndedAt()))
        .setEndReason(s.getEndReason())
        .setOutcome(Outcomes.of(s))
        .setSlots(new TreeMap<>(s.getSlots()))
        .setTimeline(timeline)
        .setStatesVisited(new ArrayList<>(s.getStatesVisited()))
        .setCustomerTalkMs(Conversation.customerTalkMs(s))
        .setAgentTalkMs(Conversation.agentTalkMs(s))
        .setBargeIns(s.getBargeIns())
        .setLatencyMs(Conversation.latencySummary(s))
        .setQaScore(qa.score())
        .setQaReasons(qa.reasons())
        .setUpdatedAt(Instant.ofEpochMilli(now))
        .build();
  }
}
