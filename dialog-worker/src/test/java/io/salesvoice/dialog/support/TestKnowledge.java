package io.salesvoice.dialog.support;

import io.salesvoice.dialog.knowledge.KnowledgeDocument;
import io.salesvoice.dialog.knowledge.LuceneKnowledgeBase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The knowledge base shipped in the jar, for tests. */
public final class TestKnowledge {

  private TestKnowledge() {
  }

  public static LuceneKnowledgeBase shipped() {
    List<KnowledgeDocument> docs = new ArrayList<>();
    for (String path : List.of("kb/default/faq.ru.md", "kb/default/faq.en.md")) {
      try (InputStream in = TestKnowledge.class.getClassLoader().getResourceAsStream(path)) {
        docs.add(KnowledgeDocument.fromPath(path, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return LuceneKnowledgeBase.build(docs, 1.0f);
  }
}
