package io.salesvoice.dialog.script;

import java.util.List;
import java.util.Map;

/**
 * One state of a sales script: what the agent says on entering it, the question it repeats after an interjection,
 * the slots it collects, and the intents that lead elsewhere. A state with an {@code end} is an ending.
 *
 * @param on transitions: intent key (or {@code filled}, {@code answer}) → target state
 */
public record ScriptState(String name, String say, String ask, String reprompt, List<String> collect, String askTime,
                          Map<String, String> on, Action end, Outcome outcome) {

  public boolean terminal() {
    return end != null;
  }

  public boolean collects(String slot) {
    return collect.contains(slot);
  }
}
