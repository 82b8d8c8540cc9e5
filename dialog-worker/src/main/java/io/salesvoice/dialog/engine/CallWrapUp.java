package io.salesvoice.dialog.engine;

import io.salesvoice.dialog.nlu.Language;
import io.salesvoice.dialog.nlu.SlotExtractor;
import io.salesvoice.dialog.script.Outcome;
import io.salesvoice.dialog.script.SalesScript;
import io.salesvoice.dialog.script.ScriptState;
import io.salesvoice.dialog.script.Template;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a finished conversation writes to the CRM, decided from the script's outcome and the filled slots: the lead's
 * data, a follow-up for a booked meeting or callback, a do-not-call mark, and a summary for the timeline.
 */
public record CallWrapUp(String result, String status, Optional<Lead> lead, Optional<FollowUp> followUp,
                         Optional<String> doNotCallReason, String summary) {

  /** The lead's data the call learnt; {@code fields} hold the rest by slot name (budget, team size). */
  public record Lead(String name, String company, String email, Map<String, String> fields) {
  }

  /** A meeting, callback or task at a time the customer agreed to. */
  public record FollowUp(Outcome.FollowUp kind, LocalDateTime at, String subject, String description) {
  }

  /**
   * @param hangUpReason how the call ended when the conversation had not reached an ending (e.g. CUSTOMER_HANGUP),
   *                     or null
   */
  public static CallWrapUp of(SalesScript script, Conversation c, String hangUpReason) {
    ScriptState state = script.states().get(c.state());
    Outcome outcome = state != null && state.terminal() ? state.outcome() : null;
    String result = outcome != null ? outcome.result() : "interrupted";
    String status = outcome != null ? outcome.status() : "200";
    Map<String, String> slots = c.slots();

    Optional<Lead> lead = Optional.empty();
    Map<String, String> fields = new LinkedHashMap<>();
    for (String f : new String[] {SlotExtractor.BUDGET, SlotExtractor.TEAM_SIZE}) {
      if (slots.containsKey(f)) {
        fields.put(f, slots.get(f));
      }
    }
    if (slots.containsKey(SlotExtractor.NAME) || slots.containsKey(SlotExtractor.COMPANY)
        || slots.containsKey(SlotExtractor.EMAIL) || !fields.isEmpty()) {
      lead = Optional.of(new Lead(slots.get(SlotExtractor.NAME), slots.get(SlotExtractor.COMPANY),
          slots.get(SlotExtractor.EMAIL), fields));
    }

    Optional<FollowUp> followUp = Optional.empty();
    Map<String, String> values = c.values(script.variables());
    if (outcome != null && outcome.activity() != null) {
      LocalDateTime at = slots.containsKey(ScriptEngine.DATETIME)
          ? LocalDateTime.parse(slots.get(ScriptEngine.DATETIME)) : null;
      if (at != null || outcome.activity() == Outcome.FollowUp.TASK) {
        String subject = outcome.subject() != null ? Template.render(outcome.subject(), values) : result;
        followUp = Optional.of(new FollowUp(outcome.activity(), at, subject, describe(c, script.language())));
      }
    }
    Optional<String> dnc = outcome != null && outcome.doNotCall()
        ? Optional.of(script.language() == Language.RU ? "Клиент попросил больше не звонить" : "The customer asked not to be called again")
        : Optional.empty();
    return new CallWrapUp(result, status, lead, followUp, dnc, summary(script, c, result, hangUpReason));
  }

  private static String describe(Conversation c, Language language) {
    StringBuilder b = new StringBuilder(language == Language.RU ? "Данные из звонка: " : "From the call: ");
    c.slots().forEach((k, v) -> {
      if (!k.equals(ScriptEngine.DATETIME)) {
        b.append(k).append('=').append(v).append("; ");
      }
    });
    return b.toString().trim();
  }

  private static String summary(SalesScript script, Conversation c, String result, String hangUpReason) {
    boolean ru = script.language() == Language.RU;
    StringBuilder b = new StringBuilder();
    b.append(ru ? "Итог звонка: " : "Call outcome: ").append(result);
    if (hangUpReason != null) {
      b.append(ru ? " (звонок завершён: " : " (call ended: ").append(hangUpReason).append(')');
    }
    b.append(". ").append(ru ? "Реплик: " : "Turns: ").append(c.turnCount()).append('.');
    if (!c.slots().isEmpty()) {
      b.append(ru ? " Собранные данные: " : " Collected: ");
      c.slots().forEach((k, v) -> {
        if (!k.equals(ScriptEngine.DATETIME)) {
          b.append(k).append(" = ").append(v).append("; ");
        }
      });
    }
    if (!c.history().isEmpty()) {
      b.append('\n').append(ru ? "Конец разговора:" : "End of the conversation:");
      c.history().stream().skip(Math.max(0, c.history().size() - 6)).forEach(line -> b.append('\n').append(line));
    }
    return b.toString().trim();
  }
}
