package io.salesvoice.dialog.knowledge;

import io.salesvoice.dialog.nlu.Language;

/**
 * One Markdown FAQ file of a campaign: {@code ## question} headings, each followed by its answer.
 *
 * @param base the knowledge base it belongs to (a campaign id, or {@code default})
 * @param path where it was read from, for the answer's source
 */
public record KnowledgeDocument(String base, Language language, String path, String markdown) {

  /** The layout is {@code kb/<base>/<name>.<language>.md}, e.g. {@code kb/default/faq.ru.md}. */
  public static KnowledgeDocument fromPath(String path, String markdown) {
    String[] parts = path.replace('\\', '/').split("/");
    if (parts.length < 2 || !path.endsWith(".md")) {
      throw new IllegalArgumentException("not a knowledge file (kb/<base>/<name>.<lang>.md): " + path);
    }
    String base = parts[parts.length - 2];
    String file = parts[parts.length - 1];
    String[] nameParts = file.split("\\.");
    String lang = nameParts.length >= 3 ? nameParts[nameParts.length - 2] : "en";
    int kb = path.lastIndexOf("kb/");
    return new KnowledgeDocument(base, Language.of(lang), kb >= 0 ? path.substring(kb) : path, markdown);
  }
}
