package io.salesvoice.dialog.knowledge;

import io.salesvoice.dialog.nlu.Language;
import java.util.Optional;

/** Product and price answers per campaign, shared by both dialog engines. */
public interface KnowledgeBase {

  /** The best answer to {@code question} in the base named {@code base}, if one is relevant enough. */
  Optional<KnowledgeAnswer> answer(String base, Language language, String question);

  /** A knowledge base that knows nothing: every question gets the script's "no answer" line. */
  static KnowledgeBase none() {
    return (base, language, question) -> Optional.empty();
  }
}
