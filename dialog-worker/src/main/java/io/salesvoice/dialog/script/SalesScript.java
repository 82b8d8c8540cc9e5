package io.salesvoice.dialog.script;

import io.salesvoice.dialog.nlu.Language;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A campaign's conversation as data: states, prompts with variables, intents that move between states, slots to
 * fill and the CRM outcome of each ending. The project's counterpart of the dialog graph first planned on LangGraph.
 *
 * @param roles   outcome roles ({@code meeting}, {@code callback}, {@code transfer}, {@code close},
 *                {@code doNotCall}, {@code voicemail}) → state; the LLM's tools move the call through them
 * @param global  transitions that apply in every state unless the state handles the intent itself
 * @param replies interjection answers by intent key ({@code robot_check}, {@code price}...), plus {@code noAnswer}
 *                and {@code reprompt}
 * @param examples what customers say, by intent or slot key ({@code yes}: "да", "конечно"; {@code datetime}: "завтра
 *                 в три"): the phrases speech recognition expects in a state that handles the key
 */
public record SalesScript(String id, Language language, String description, String knowledgeBase, String start,
                          int maxFailedAttempts, String onRepeatedFailure, Map<String, String> variables,
                          Map<String, String> roles, Map<String, String> global, Map<String, String> replies,
                          Map<String, ScriptState> states, Map<String, List<String>> examples) {

  public static final List<String> ROLES = List.of("meeting", "callback", "transfer", "close", "doNotCall", "voicemail");

  public ScriptState state(String name) {
    ScriptState s = states.get(name);
    if (s == null) {
      throw new IllegalArgumentException("script " + id + " has no state " + name);
    }
    return s;
  }

  public Optional<ScriptState> role(String role) {
    return Optional.ofNullable(roles.get(role)).map(this::state);
  }

  public Optional<String> reply(String key) {
    return Optional.ofNullable(replies.get(key));
  }

  /**
   * What the customer is expected to answer in {@code stateName}: the examples of every intent the state handles
   * (its own transitions, the global ones, the interjections) and of the slots it collects, each phrase once, the
   * state's own first. Nothing for an ending, nor for a state without examples.
   */
  public List<String> expectedAnswers(String stateName) {
    ScriptState state = states.get(stateName);
    if (state == null || state.terminal()) {
      return List.of();
    }
    LinkedHashSet<String> keys = new LinkedHashSet<>();
    state.on().keySet().stream().filter(k -> !ScriptLoader.SPECIAL_KEYS.contains(k)).forEach(keys::add);
    keys.addAll(state.collect());
    keys.addAll(global.keySet());
    keys.addAll(replies.keySet());
    LinkedHashSet<String> phrases = new LinkedHashSet<>();
    for (String key : keys) {
      phrases.addAll(examples.getOrDefault(key, List.of()));
    }
    return List.copyOf(phrases);
  }
}
