package io.salesvoice.dialog.engine;

import io.salesvoice.dialog.nlu.Language;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where one call's conversation stands, as the engines see it: immutable, so an engine that fails or times out leaves
 * the call as it was.
 *
 * @param variables call parameters the prompts use (the lead's name...) and the engine's own bookkeeping
 *                  (keys starting with {@code _})
 * @param history   the last lines of the conversation, {@code "customer: ..."} / {@code "agent: ..."}
 */
public record Conversation(String callId, String campaignId, String scriptId, Language language, String state,
                           Map<String, String> slots, Map<String, String> variables, int turnCount,
                           int failedAttempts, boolean ended, List<String> history) {

  /** How many lines of history are kept: enough context for the LLM, small enough for the state topic. */
  public static final int HISTORY_LINES = 16;

  public Conversation {
    slots = Map.copyOf(slots);
    variables = Map.copyOf(variables);
    history = List.copyOf(history);
  }

  /** Prompt values: the script's defaults, then the call's variables, then the filled slots. */
  public Map<String, String> values(Map<String, String> scriptDefaults) {
    Map<String, String> v = new LinkedHashMap<>(scriptDefaults);
    v.putAll(variables);
    v.putAll(slots);
    return v;
  }

  public Conversation withState(String next, boolean end) {
    return new Conversation(callId, campaignId, scriptId, language, next, slots, variables, turnCount, failedAttempts,
        end, history);
  }

  public Conversation withSlots(Map<String, String> newSlots) {
    return new Conversation(callId, campaignId, scriptId, language, state, newSlots, variables, turnCount,
        failedAttempts, ended, history);
  }

  public Conversation withVariables(Map<String, String> newVariables) {
    return new Conversation(callId, campaignId, scriptId, language, state, slots, newVariables, turnCount,
        failedAttempts, ended, history);
  }

  public Conversation withFailedAttempts(int failed) {
    return new Conversation(callId, campaignId, scriptId, language, state, slots, variables, turnCount, failed, ended,
        history);
  }

  /** One more exchange: the turn counter and the history move on. */
  public Conversation after(String customer, String agent) {
    Conversation c = talked(customer, agent);
    return new Conversation(callId, campaignId, scriptId, language, state, slots, variables, turnCount + 1,
        failedAttempts, ended, c.history);
  }

  /** The history with these lines added; the turn counter stays. */
  public Conversation talked(String customer, String agent) {
    List<String> h = new ArrayList<>(history);
    if (customer != null && !customer.isBlank()) {
      h.add("customer: " + customer);
    }
    if (agent != null && !agent.isBlank()) {
      h.add("agent: " + agent);
    }
    while (h.size() > HISTORY_LINES) {
      h.remove(0);
    }
    return new Conversation(callId, campaignId, scriptId, language, state, slots, variables, turnCount,
        failedAttempts, ended, h);
  }
}
