package dev.parapet.detector.index;

import java.util.List;

/**
 * How one round of indexing went.
 *
 * @param retry    documents to send again (Elasticsearch unreachable, overloaded or failing)
 * @param rejected documents Elasticsearch refused for good (mapping), with the reason
 */
public record BulkOutcome(List<IndexDocument> retry, List<Rejected> rejected) {

    public BulkOutcome {
        retry = List.copyOf(retry);
        rejected = List.copyOf(rejected);
    }

    /**
     * @param document the refused document
     * @param reason   Elasticsearch's error type and reason
     */
    public record Rejected(IndexDocument document, String reason) {
    }
}
