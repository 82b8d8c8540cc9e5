package io.salesvoice.dialog.support;

import io.salesvoice.dialog.engine.Conversation;
import io.salesvoice.dialog.engine.ScriptEngine;
import io.salesvoice.dialog.engine.Turn;
import io.salesvoice.dialog.nlu.Language;
import java.util.List;
import java.util.Map;

/** Drives one call through the script engine from text, the way the stage does. */
public final class ScriptedCall {

  private final ScriptEngine engine;
  private Conversation conversation;
  private Turn last;

  public ScriptedCall(ScriptEngine engine, Language language, Map<String, String> variables) {
    this.engine = engine;
    this.conversation = new Conversation("call-1", "campaign-1", null, language, null, Map.of(), variables, 0, 0, false,
        List.of());
    this.conversation = new Conversation("call-1", "campaign-1", engine.script(conversation).id(), language,
        engine.script(conversation).start(), Map.of(), variables, 0, 0, false, List.of());
    this.last = engine.start(conversation);
    this.conversation = last.next();
  }

  /** The customer says something; returns the agent's answer. */
  public Turn say(String utterance) {
    last = engine.decide(conversation, utterance);
    conversation = last.next();
    return last;
  }

  public Turn last() {
    return last;
  }

  public Conversation conversation() {
    return conversation;
  }

  public String state() {
    return conversation.state();
  }
}
