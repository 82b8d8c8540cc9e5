package io.salesvoice.analytics.domain;

import io.salesvoice.analytics.state.CallState;
import io.salesvoice.analytics.state.Turn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Scores a call 0..100 for a QA reviewer, starting at 100 and taking off points with a reason for each:
 * a required script state not visited (−15), a forbidden phrase said by the agent (−10 each), the agent
 * talking more than its fair share (−10), silence gaps (−5 each, at most −20). Live and replayed calls alike.
 */
public final class QaScorer {

  /** A score and why it is not 100. */
  public record Score(double score, List<String> reasons) {
  }

  /** A required state under its first name, with every alternative normalized once. */
  private record Required(String name, List<String> alternatives) {
  }

  private final QaRules rules;
  private final List<Required> required;
  private final List<String> forbiddenLower;

  public QaScorer(QaRules rules) {
    this.rules = rules;
    this.required = rules.requiredStates().stream()
        .map(r -> new Required(r.split("\\|")[0],
            Arrays.stream(r.split("\\|")).map(Names::normalize).filter(a -> !a.isEmpty()).toList()))
        .toList();
    this.forbiddenLower = rules.forbiddenPhrases().stream().map(f -> f.toLowerCase(Locale.ROOT)).toList();
  }

  public Score score(CallState s) {
    int score = 100;
    List<String> reasons = new ArrayList<>();
    List<String> visited = new ArrayList<>(s.getStatesVisited().size());
    for (String state : s.getStatesVisited()) {
      visited.add(Names.normalize(state));
    }
    for (Required r : required) {
      boolean seen = false;
      for (String want : r.alternatives()) {
        for (String v : visited) {
          seen |= v.startsWith(want);
        }
      }
      if (!seen) {
        score -= QaRules.MISSING_STATE_PENALTY;
        reasons.add("required state not visited: " + r.name() + " (-" + QaRules.MISSING_STATE_PENALTY + ")");
      }
    }
    List<String> phrases = rules.forbiddenPhrases();
    for (String said : agentTexts(s)) {
      String lower = said.toLowerCase(Locale.ROOT);
      for (int i = 0; i < phrases.size(); i++) {
        String phrase = phrases.get(i);
        if (lower.contains(forbiddenLower.get(i))) {
          score -= QaRules.FORBIDDEN_PHRASE_PENALTY;
          reasons.add("forbidden phrase \"" + phrase + "\" in: \"" + said + "\" (-" + QaRules.FORBIDDEN_PHRASE_PENALTY + ")");
        }
      }
    }
    long agent = Conversation.agentTalkMs(s);
    long customer = Conversation.customerTalkMs(s);
    if (agent + customer > 0) {
      double ratio = (double) agent / (agent + customer);
      if (ratio > rules.maxAgentTalkRatio()) {
        score -= QaRules.TALK_RATIO_PENALTY;
        reasons.add(String.format(Locale.ROOT, "agent talked %.0f%% of the time, more than %.0f%% (-%d)",
            ratio * 100, rules.maxAgentTalkRatio() * 100, QaRules.TALK_RATIO_PENALTY));
      }
    }
    List<long[]> gaps = Conversation.silenceGaps(s, rules.silenceGap().toMillis());
    int silencePenalty = Math.min(QaRules.MAX_SILENCE_PENALTY, gaps.size() * QaRules.SILENCE_GAP_PENALTY);
    if (silencePenalty > 0) {
      long longest = gaps.stream().mapToLong(g -> g[1] - g[0]).max().orElse(0);
      score -= silencePenalty;
      reasons.add(String.format(Locale.ROOT, "%d silence gap(s) over %d s, the longest %.1f s (-%d)",
          gaps.size(), rules.silenceGap().toSeconds(), longest / 1000.0, silencePenalty));
    }
    return new Score(Math.max(0, score), reasons);
  }

  private static List<String> agentTexts(CallState s) {
    List<String> texts = new ArrayList<>();
    for (Turn t : s.getTurns()) {
      if (!t.getChunks().isEmpty()) {
        texts.add(Conversation.text(t));
      }
    }
    s.getUtterances().stream().filter(u -> Conversation.AGENT.equals(u.getChannel()))
        .forEach(u -> texts.add(u.getText()));
    return texts;
  }
}
