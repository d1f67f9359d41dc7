package dev.parapet.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * The outcome of a query, on {@code llm.responses}, keyed by query id. Blocked and failed
 * responses carry a reason code; answered ones carry the (guarded) answer and usage.
 *
 * @param schemaVersion always {@link SchemaVersion#CURRENT}
 * @param queryId       the id from {@link QuerySubmitted}
 * @param userId        verified user id, or null when the token never verified
 * @param claimedSubject unverified subject the query was submitted under (who may read it back)
 * @param status        blocked, answered or failed (pending is implied by absence)
 * @param reason        reason code for blocked and failed, such as TOKEN_EXPIRED
 * @param answer        the answer text, for answered
 * @param model         the model that answered
 * @param inputTokens   prompt tokens used
 * @param outputTokens  completion tokens used
 * @param respondedAt   when this status was reached
 * @param blockedBy     for blocked: the check that decided, as {@code ID: name} (a content rule, the learned
 *                      detector, or the token or rate check), never the matched text; null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QueryResponse(
        Integer schemaVersion,
        String queryId,
        String userId,
        String claimedSubject,
        QueryStatus status,
        String reason,
        String answer,
        String model,
        Integer inputTokens,
        Integer outputTokens,
        Instant respondedAt,
        String blockedBy) {

    public QueryResponse {
        Fields.schemaVersion(schemaVersion, SchemaVersion.CURRENT);
        Fields.required(queryId, "query_id");
        Fields.required(status, "status");
        Fields.required(respondedAt, "responded_at");
        if (status == QueryStatus.BLOCKED || status == QueryStatus.FAILED) {
            Fields.required(reason, "reason");
        }
        if (status == QueryStatus.ANSWERED) {
            Fields.required(answer, "answer");
        }
        Fields.check(inputTokens == null || inputTokens >= 0, "input_tokens", "must not be negative");
        Fields.check(outputTokens == null || outputTokens >= 0, "output_tokens", "must not be negative");
    }

    /** A response without {@code blocked_by}. */
    public QueryResponse(Integer schemaVersion, String queryId, String userId, String claimedSubject, QueryStatus status, String reason,
                         String answer, String model, Integer inputTokens, Integer outputTokens, Instant respondedAt) {
        this(schemaVersion, queryId, userId, claimedSubject, status, reason, answer, model, inputTokens, outputTokens, respondedAt, null);
    }

    /** Shows no answer text. */
    @Override
    public String toString() {
        return "QueryResponse[queryId=" + queryId + ", status=" + status + ", reason=" + reason
                + ", answer=" + Fields.masked(answer) + "]";
    }
}
