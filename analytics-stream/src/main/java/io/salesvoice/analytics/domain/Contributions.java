package io.salesvoice.analytics.domain;

import io.salesvoice.analytics.state.CallState;
import io.salesvoice.analytics.state.CampaignAggregate;
import io.salesvoice.analytics.state.Contribution;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.Supplier;

/**
 * A call's share of its campaign's figures, and the deltas that move the campaign from what the call added before to
 * what it adds now. A call that changes window (its start arrived late) or campaign/replay key is retracted where it
 * was and added where it belongs, so late and out-of-order records correct the figures instead of double counting.
 */
public final class Contributions {

  /** Campaign of calls that carry none (e.g. inbound calls outside any campaign). */
  public static final String NO_CAMPAIGN = "none";
  private static final String REPLAY_SUFFIX = "#replay";

  /** A delta for the campaign store keyed {@code key}, in the window of {@code at}. */
  public record Delta(String key, long at, CampaignAggregate change) {
  }

  private Contributions() {
  }

  /** Store key of a campaign's live or replay figures: replayed calls are kept apart. */
  public static String campaignKey(String campaignId, boolean replay) {
    return replay ? campaignId + REPLAY_SUFFIX : campaignId;
  }

  public static String campaignIdOf(String key) {
    return key.endsWith(REPLAY_SUFFIX) ? key.substring(0, key.length() - REPLAY_SUFFIX.length()) : key;
  }

  public static boolean isReplayKey(String key) {
    return key.endsWith(REPLAY_SUFFIX);
  }

  /** The call's share now; {@code qa} is asked only for a completed call. */
  public static Contribution of(CallState s, Supplier<QaScorer.Score> qa) {
    String campaign = s.getCampaignId() == null ? NO_CAMPAIGN : s.getCampaignId();
    long at = s.getStartedAt() != null ? s.getStartedAt() : s.getFirstEventAt();
    boolean answered = s.getAnsweredAt() != null;
    boolean completed = CallStates.isEnded(s) && answered;
    String outcome = CallStates.isEnded(s) ? Outcomes.of(s) : null;
    return Contribution.newBuilder()
        .setCampaignKey(campaignKey(campaign, CallStates.isReplay(s)))
        .setAt(at)
        .setStarted(s.getStartedAt() != null ? 1 : 0)
        .setAnswered(answered ? 1 : 0)
        .setHuman("HUMAN".equals(s.getAnsweredBy()) ? 1 : 0)
        .setCompleted(completed ? 1 : 0)
        .setOutcome(outcome)
        .setTalkMs(completed ? Conversation.talkMs(s) : 0)
        .setAgentMs(completed ? Conversation.agentTalkMs(s) : 0)
        .setCustomerMs(completed ? Conversation.customerTalkMs(s) : 0)
        .setBargeIns(s.getBargeIns())
        .setQaScore(completed ? qa.get().score() : null)
        .build();
  }

  /** The deltas from {@code before} (null: nothing sent yet) to {@code after}. */
  public static List<Delta> deltas(Contribution before, Contribution after) {
    List<Delta> out = new ArrayList<>();
    if (before != null && (!before.getCampaignKey().equals(after.getCampaignKey()) || before.getAt() != after.getAt())) {
      out.add(new Delta(before.getCampaignKey(), before.getAt(), change(before.getCampaignKey(), before, null)));
      before = null;
    }
    CampaignAggregate change = change(after.getCampaignKey(), before, after);
    if (!CampaignAggregates.isZero(change)) {
      out.add(new Delta(after.getCampaignKey(), after.getAt(), change));
    }
    return out.stream().filter(d -> !CampaignAggregates.isZero(d.change())).toList();
  }

  /**
   * Adds one latency sample, for its engine and for all engines, to {@code into}. Samples are filed in the window of
   * their call's start, like the rest of the call, so they travel in the call's delta.
   */
  public static CampaignAggregate addLatency(CampaignAggregate into, Conversation.LatencySample sample) {
    LogHistogram.add(into.getLatency().computeIfAbsent(sample.stage() + "|" + sample.engine(), k -> new HashMap<>()),
        sample.millis(), 1);
    LogHistogram.add(into.getLatency().computeIfAbsent(sample.stage() + "|*", k -> new HashMap<>()), sample.millis(), 1);
    return into;
  }

  private static CampaignAggregate change(String key, Contribution before, Contribution after) {
    CampaignAggregate a = CampaignAggregates.empty(key);
    a.setCallsStarted(value(after, Contribution::getStarted) - value(before, Contribution::getStarted));
    a.setCallsAnswered(value(after, Contribution::getAnswered) - value(before, Contribution::getAnswered));
    a.setReachedHuman(value(after, Contribution::getHuman) - value(before, Contribution::getHuman));
    a.setCallsCompleted(value(after, Contribution::getCompleted) - value(before, Contribution::getCompleted));
    a.setBargeIns(value(after, Contribution::getBargeIns) - value(before, Contribution::getBargeIns));
    a.setAgentTalkMs(value(after, Contribution::getAgentMs) - value(before, Contribution::getAgentMs));
    a.setCustomerTalkMs(value(after, Contribution::getCustomerMs) - value(before, Contribution::getCustomerMs));
    a.setTalkMsSum(value(after, Contribution::getTalkMs) - value(before, Contribution::getTalkMs));
    if (before != null && before.getOutcome() != null) {
      a.getOutcomes().merge(before.getOutcome(), -1L, Long::sum);
    }
    if (after != null && after.getOutcome() != null) {
      a.getOutcomes().merge(after.getOutcome(), 1L, Long::sum);
    }
    a.getOutcomes().values().removeIf(n -> n == 0);
    if (before != null && before.getCompleted() == 1) {
      LogHistogram.add(a.getTalkHistogram(), before.getTalkMs(), -1);
    }
    if (after != null && after.getCompleted() == 1) {
      LogHistogram.add(a.getTalkHistogram(), after.getTalkMs(), 1);
    }
    if (before != null && before.getQaScore() != null) {
      a.setQaScoreSum(a.getQaScoreSum() - before.getQaScore());
      a.setQaScored(a.getQaScored() - 1);
    }
    if (after != null && after.getQaScore() != null) {
      a.setQaScoreSum(a.getQaScoreSum() + after.getQaScore());
      a.setQaScored(a.getQaScored() + 1);
    }
    return a;
  }

  private static long value(Contribution c, java.util.function.ToLongFunction<Contribution> field) {
    return c == null ? 0 : field.applyAsLong(c);
  }
}
