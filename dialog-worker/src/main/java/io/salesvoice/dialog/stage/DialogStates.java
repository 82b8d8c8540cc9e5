package io.salesvoice.dialog.stage;

import io.salesvoice.dialog.engine.Conversation;
import io.salesvoice.dialog.nlu.Language;
import io.salesvoice.schema.dialog.DialogState;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a call's conversation to the compacted {@code DialogState} record and back. The history rides in
 * {@code variables["_history"]} until the schema has a field for it.
 */
final class DialogStates {

  static final String HISTORY = "_history";

  private DialogStates() {
  }

  static DialogState toRecord(CallSession s, Instant now) {
    Conversation c = s.conversation;
    Map<String, String> variables = new HashMap<>(c.variables());
    if (!c.history().isEmpty()) {
      variables.put(HISTORY, String.join("\n", c.history()));
    }
    return DialogState.newBuilder()
        .setCallId(c.callId())
        .setCampaignId(c.campaignId())
        .setScriptId(c.scriptId())
        .setLanguage(c.language().tag())
        .setState(c.state())
        .setSlots(new HashMap<>(c.slots()))
        .setVariables(variables)
        .setPhoneNumber(s.phoneNumber)
        .setReplyPartition(s.replyPartition)
        .setTurnCount(c.turnCount())
        .setFailedAttempts(c.failedAttempts())
        .setLastUtteranceId(s.lastInputId)
        .setEnded(c.ended())
        .setUpdatedAt(now)
        .build();
  }

  static CallSession fromRecord(DialogState d, int partition) {
    Map<String, String> variables = new HashMap<>();
    d.getVariables().forEach((k, v) -> variables.put(k.toString(), v.toString()));
    String history = variables.remove(HISTORY);
    Map<String, String> slots = new HashMap<>();
    d.getSlots().forEach((k, v) -> slots.put(k.toString(), v.toString()));
    Conversation c = new Conversation(d.getCallId(), str(d.getCampaignId()), d.getScriptId(),
        Language.of(d.getLanguage()), d.getState(), slots, variables, d.getTurnCount(), d.getFailedAttempts(),
        d.getEnded(), history == null || history.isEmpty() ? List.of() : Arrays.asList(history.split("\n")));
    return new CallSession(partition, c, str(d.getPhoneNumber()), d.getReplyPartition(), str(d.getLastUtteranceId()));
  }

  private static String str(CharSequence s) {
    return s == null ? null : s.toString();
  }
}
