package dev.parapet.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A query the policy stage approved, on {@code llm.queries.approved}. It carries verified claims
 * only, never the token.
 *
 * @param schemaVersion    always {@link SchemaVersion#CURRENT}
 * @param queryId          the id from {@link QuerySubmitted}
 * @param decisionId       {@code event.id} of the approving {@link Decision}
 * @param approvedAt       when the decision was taken
 * @param userId           verified user id
 * @param roles            verified roles
 * @param jti              verified token id
 * @param tokenFingerprint SHA-256 prefix of the token, to correlate without holding it
 * @param query            the user's prompt
 * @param conversationId   optional conversation id
 * @param metadata         caller key/values
 * @param sourceIp         client address
 * @param riskScore        content score, 0 when nothing matched
 * @param flaggedRuleIds   content rules that matched below the block threshold
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApprovedQuery(
        Integer schemaVersion,
        String queryId,
        String decisionId,
        Instant approvedAt,
        String userId,
        List<String> roles,
        String jti,
        String tokenFingerprint,
        String query,
        String conversationId,
        Map<String, String> metadata,
        String sourceIp,
        Double riskScore,
        List<String> flaggedRuleIds) {

    public ApprovedQuery {
        Fields.schemaVersion(schemaVersion, SchemaVersion.CURRENT);
        Fields.required(queryId, "query_id");
        Fields.required(decisionId, "decision_id");
        Fields.required(approvedAt, "approved_at");
        Fields.required(userId, "user_id");
        Fields.required(query, "query");
        Fields.required(sourceIp, "source_ip");
        roles = Fields.listOrEmpty(roles);
        metadata = Fields.mapOrEmpty(metadata);
        flaggedRuleIds = Fields.listOrEmpty(flaggedRuleIds);
        riskScore = riskScore == null ? 0.0 : riskScore;
        Fields.check(riskScore >= 0, "risk_score", "must not be negative");
    }

    /** Shows no prompt text. */
    @Override
    public String toString() {
        return "ApprovedQuery[queryId=" + queryId + ", userId=" + userId + ", roles=" + roles + ", riskScore=" + riskScore
                + ", query=" + Fields.masked(query) + "]";
    }
}
