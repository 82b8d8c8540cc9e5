package io.salesvoice.analytics.domain;

import java.time.Duration;
import java.util.List;

/**
 * What a good sales call looks like, for QA scoring.
 *
 * @param requiredStates   script states the call must visit, each as alternatives separated by {@code |}
 *                         (e.g. {@code next_step|closing}); compared loosely (case, spaces and dashes ignored)
 * @param forbiddenPhrases phrases the agent must never say (compared case-insensitively)
 * @param maxAgentTalkRatio the agent's largest fair share of the talking, 0..1
 * @param silenceGap       a silence longer than this between two speeches is a gap
 */
public record QaRules(List<String> requiredStates, List<String> forbiddenPhrases, double maxAgentTalkRatio,
                      Duration silenceGap) {

  public static final int MISSING_STATE_PENALTY = 15;
  public static final int FORBIDDEN_PHRASE_PENALTY = 10;
  public static final int TALK_RATIO_PENALTY = 10;
  public static final int SILENCE_GAP_PENALTY = 5;
  public static final int MAX_SILENCE_PENALTY = 20;

  public static QaRules defaults() {
    return new QaRules(
        List.of("greeting|greet|hello", "introduction|intro", "offer|pitch|presentation",
            "next_step|closing|close|booking|schedule"),
        List.of("guarantee", "risk-free", "no risk", "last chance", "you must", "гарантирую", "гарантируем", "без риска"),
        0.7, Duration.ofSeconds(5));
  }
}
