package dev.parapet.worker.retrieval;

/**
 * A slice of a document small enough to embed and quote.
 *
 * @param document the document it came from
 * @param text     the passage
 */
public record Passage(KnowledgeDocument document, String text) {
}
