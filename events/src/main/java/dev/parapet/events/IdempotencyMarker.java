package dev.parapet.events;

import java.time.Instant;

/**
 * On {@code parapet.idempotency} (compacted, 24 h), keyed {@code subject|sha256(Idempotency-Key)}:
 * the edge already published the query this key maps to, so a repeat returns the same id and
 * publishes nothing.
 *
 * @param schemaVersion always {@link SchemaVersion#CURRENT}
 * @param queryId       the id the key maps to
 * @param subject       the submitter
 * @param createdAt     when the first request was accepted
 */
public record IdempotencyMarker(Integer schemaVersion, String queryId, String subject, Instant createdAt) {

    public IdempotencyMarker {
        Fields.schemaVersion(schemaVersion, SchemaVersion.CURRENT);
        Fields.required(queryId, "query_id");
        Fields.required(subject, "subject");
        Fields.required(createdAt, "created_at");
    }
}
