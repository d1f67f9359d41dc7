package dev.parapet.ingest.request;

import java.util.Map;
import java.util.Optional;

/**
 * A valid {@code POST /v1/queries} body.
 *
 * @param query          the prompt
 * @param conversationId optional conversation id
 * @param metadata       caller key/values
 */
public record QueryRequest(String query, Optional<String> conversationId, Map<String, String> metadata) {

    public QueryRequest {
        metadata = Map.copyOf(metadata);
    }
}
