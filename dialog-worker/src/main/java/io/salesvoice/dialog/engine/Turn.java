package io.salesvoice.dialog.engine;

import io.salesvoice.dialog.script.Action;
import java.util.List;

/**
 * The agent's answer to one utterance: what it says, sentence by sentence, and where the call stands afterwards.
 *
 * @param intent   the customer's intent this turn answers (lower-case key), or null for the opening line
 * @param source   the knowledge-base source of an answer in the turn, or null
 * @param fallback true when the LLM did not answer in time and the script's line was used instead
 */
public record Turn(List<String> sentences, Conversation next, String intent, Action action, String source,
                   boolean fallback) {

  public Turn {
    sentences = List.copyOf(sentences);
  }

  public String text() {
    return String.join(" ", sentences);
  }

  public Turn asFallback() {
    return new Turn(sentences, next, intent, action, source, true);
  }
}
