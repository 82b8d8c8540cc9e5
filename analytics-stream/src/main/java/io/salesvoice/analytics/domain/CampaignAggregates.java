package io.salesvoice.analytics.domain;

import io.salesvoice.analytics.state.CampaignAggregate;
import io.salesvoice.schema.analytics.CampaignStats;
import io.salesvoice.schema.analytics.StageLatency;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Adds campaign deltas up and turns the sums into the {@link CampaignStats} view sales managers read. */
public final class CampaignAggregates {

  private CampaignAggregates() {
  }

  public static CampaignAggregate empty(String campaignKey) {
    return CampaignAggregate.newBuilder()
        .setCampaignId(Contributions.campaignIdOf(campaignKey))
        .setReplay(Contributions.isReplayKey(campaignKey))
        .setOutcomes(new HashMap<>()).setTalkHistogram(new HashMap<>()).setLatency(new HashMap<>())
        .build();
  }

  public static boolean isZero(CampaignAggregate a) {
    return a.getCallsStarted() == 0 && a.getCallsAnswered() == 0 && a.getReachedHuman() == 0
        && a.getCallsCompleted() == 0 && a.getOutcomes().isEmpty() && a.getTalkMsSum() == 0
        && a.getTalkHistogram().isEmpty() && a.getAgentTalkMs() == 0 && a.getCustomerTalkMs() == 0
        && a.getBargeIns() == 0 && a.getQaScored() == 0 && a.getQaScoreSum() == 0 && a.getLatency().isEmpty();
  }

  /** Adds {@code delta} into {@code sum} and returns it. */
  public static CampaignAggregate add(CampaignAggregate sum, CampaignAggregate delta) {
    sum.setCampaignId(delta.getCampaignId());
    sum.setReplay(delta.getReplay());
    sum.setCallsStarted(sum.getCallsStarted() + delta.getCallsStarted());
    sum.setCallsAnswered(sum.getCallsAnswered() + delta.getCallsAnswered());
    sum.setReachedHuman(sum.getReachedHuman() + delta.getReachedHuman());
    sum.setCallsCompleted(sum.getCallsCompleted() + delta.getCallsCompleted());
    delta.getOutcomes().forEach((o, n) -> sum.getOutcomes().merge(o, n, (x, y) -> x + y == 0 ? null : x + y));
    sum.setTalkMsSum(sum.getTalkMsSum() + delta.getTalkMsSum());
    LogHistogram.merge(sum.getTalkHistogram(), delta.getTalkHistogram());
    sum.setAgentTalkMs(sum.getAgentTalkMs() + delta.getAgentTalkMs());
    sum.setCustomerTalkMs(sum.getCustomerTalkMs() + delta.getCustomerTalkMs());
    sum.setBargeIns(sum.getBargeIns() + delta.getBargeIns());
    sum.setQaScoreSum(sum.getQaScoreSum() + delta.getQaScoreSum());
    sum.setQaScored(sum.getQaScored() + delta.getQaScored());
    delta.getLatency().forEach((k, h) -> {
      Map<String, Long> into = sum.getLatency().computeIfAbsent(k, x -> new HashMap<>());
      LogHistogram.merge(into, h);
      if (into.isEmpty()) {
        sum.getLatency().remove(k);
      }
    });
    sum.setLastEventAt(Math.max(sum.getLastEventAt(), delta.getLastEventAt()));
    return sum;
  }

  /** The view of a sum over {@code window} ("total", "tumbling-1h", …); null bounds for the total. */
  public static CampaignStats toStats(CampaignAggregate a, String window, Long windowStart, Long windowEnd, long now) {
    long human = a.getReachedHuman();
    long conversions = 0;
    for (String o : Outcomes.CONVERSIONS) {
      conversions += a.getOutcomes().getOrDefault(o, 0L);
    }
    long completed = a.getCallsCompleted();
    long talk = a.getAgentTalkMs() + a.getCustomerTalkMs();
    List<StageLatency> latency = new ArrayList<>();
    new TreeMap<>(a.getLatency()).forEach((key, h) -> {
      int bar = key.lastIndexOf('|');
      latency.add(StageLatency.newBuilder()
          .setStage(key.substring(0, bar)).setEngine(key.substring(bar + 1))
          .setCount(LogHistogram.count(h))
          .setP50Ms(LogHistogram.percentile(h, 0.50))
          .setP90Ms(LogHistogram.percentile(h, 0.90))
          .setP99Ms(LogHistogram.percentile(h, 0.99))
          .build());
    });
    return CampaignStats.newBuilder()
        .setCampaignId(a.getCampaignId())
        .setWindow(window)
        .setWindowStart(windowStart == null ? null : Instant.ofEpochMilli(windowStart))
        .setWindowEnd(windowEnd == null ? null : Instant.ofEpochMilli(windowEnd))
        .setReplay(a.getReplay())
        .setCallsStarted(a.getCallsStarted())
        .setCallsAnswered(a.getCallsAnswered())
        .setReachedHuman(human)
        .setCallsCompleted(completed)
        .setOutcomes(new TreeMap<>(a.getOutcomes()))
        .setConversionRate(human == 0 ? 0.0 : (double) conversions / human)
        .setAverageTalkMs(completed == 0 ? 0 : a.getTalkMsSum() / completed)
        .setP90TalkMs(LogHistogram.percentile(a.getTalkHistogram(), 0.90))
        .setAgentTalkRatio(talk == 0 ? 0.0 : (double) a.getAgentTalkMs() / talk)
        .setBargeIns(a.getBargeIns())
        .setUpdatedAt(Instant.ofEpochMilli(now))
        .setLatency(latency)
        .setAverageQaScore(a.getQaScored() == 0 ? null : a.getQaScoreSum() / a.getQaScored())
        .build();
  }
}
