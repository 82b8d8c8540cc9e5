package io.salesvoice.dialog.knowledge;

/**
 * An answer from the knowledge base, short enough to say on the phone.
 *
 * @param source where it came from, e.g. {@code kb/default/faq.ru.md#Сколько стоит?}, kept on the turn
 */
public record KnowledgeAnswer(String text, String source, float score) {
}
