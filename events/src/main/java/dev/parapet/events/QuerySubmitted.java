package dev.parapet.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * A query as the ingest edge accepted it, on {@code llm.queries}. It is the only event that holds
 * the raw bearer token, which the policy stage verifies; {@code claimed_subject} is the token's
 * unverified subject and serves only as the record key.
 *
 * @param schemaVersion    always {@link SchemaVersion#CURRENT}
 * @param queryId          unique id the edge assigned (also the id a caller polls)
 * @param receivedAt       when the edge accepted the request
 * @param bearerToken      the raw JWT, never logged, never copied to another topic
 * @param claimedSubject   unverified {@code user_id}/{@code sub} read from the token, or null
 * @param query            the user's prompt
 * @param conversationId   optional caller conversation id
 * @param metadata         optional caller key/values
 * @param sourceIp         client address as the edge resolved it
 * @param userAgent        optional User-Agent header
 * @param requestId        optional X-Request-Id header
 * @param idempotencyKey   optional Idempotency-Key header
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuerySubmitted(
        Integer schemaVersion,
        String queryId,
        Instant receivedAt,
        String bearerToken,
        String claimedSubject,
        String query,
        String conversationId,
        Map<String, String> metadata,
        String sourceIp,
        String userAgent,
        String requestId,
        String idempotencyKey) {

    public QuerySubmitted {
        Fields.schemaVersion(schemaVersion, SchemaVersion.CURRENT);
        Fields.required(queryId, "query_id");
        Fields.required(receivedAt, "received_at");
        Fields.required(bearerToken, "bearer_token");
        Fields.required(query, "query");
        Fields.required(sourceIp, "source_ip");
        metadata = Fields.mapOrEmpty(metadata);
    }

    /** Shows neither the token nor the prompt. */
    @Override
    public String toString() {
        return "QuerySubmitted[queryId=" + queryId + ", claimedSubject=" + claimedSubject + ", sourceIp=" + sourceIp
                + ", bearerToken=" + Fields.masked(bearerToken) + ", query=" + Fields.masked(query) + "]";
    }
}
