package dev.parapet.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.parapet.events.ecs.AuditLink;
import java.util.List;
import java.util.Map;

/**
 * Parapet's own fields of a decision ({@code parapet.*}).
 *
 * @param queryId          the query this decision is about
 * @param stage            which stage decided: {@code edge}, {@code policy} or {@code worker}
 * @param reasonCode       machine reason, such as {@code APPROVED}, {@code TOKEN_EXPIRED}, {@code RATE_LIMITED}
 * @param claimedUserId    unverified subject, kept when the token failed so analysts can see who it claimed to be
 * @param tokenFingerprint SHA-256 prefix of the token, never the token
 * @param jti              verified token id
 * @param ruleMatches      ids of content rules that matched
 * @param windowCount      queries counted in the user's rate window, this one included
 * @param queryText        the prompt, redacted or absent depending on configuration
 * @param querySha256      hex SHA-256 of the prompt, always present for correlation
 * @param count            number of events this one stands for (edge aggregates), else null
 * @param redactions       what the worker's output guard redacted from the answer, by kind (email, card_number, api_key, ...)
 * @param audit            the audit chain link, once the decision is chained
 * @param detector         what the learned content detector said, when it ran
 * @param shadow           what a candidate detector in shadow mode would have decided, when one runs
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DecisionDetails(
        String queryId,
        String stage,
        String reasonCode,
        String claimedUserId,
        String tokenFingerprint,
        String jti,
        List<String> ruleMatches,
        Integer windowCount,
        String queryText,
        String querySha256,
        Long count,
        Map<String, Integer> redactions,
        AuditLink audit,
        DetectorResult detector,
        ShadowResult shadow) {

    public DecisionDetails {
        Fields.required(stage, "parapet.stage");
        Fields.required(reasonCode, "parapet.reason_code");
        ruleMatches = Fields.listOrEmpty(ruleMatches);
        Fields.check(windowCount == null || windowCount >= 0, "parapet.window_count", "must not be negative");
        Fields.check(count == null || count >= 1, "parapet.count", "must be at least 1");
        redactions = redactions == null || redactions.isEmpty() ? null : Map.copyOf(redactions);
    }

    /** Details without content-detector fields (every stage but the policy stage). */
    public DecisionDetails(String queryId, String stage, String reasonCode, String claimedUserId, String tokenFingerprint,
                           String jti, List<String> ruleMatches, Integer windowCount, String queryText, String querySha256,
                           Long count, Map<String, Integer> redactions, AuditLink audit) {
        this(queryId, stage, reasonCode, claimedUserId, tokenFingerprint, jti, ruleMatches, windowCount, queryText, querySha256,
                count, redactions, audit, null, null);
    }

    /** The same details linked into the audit chain. */
    public DecisionDetails withAudit(AuditLink link) {
        return new DecisionDetails(queryId, stage, reasonCode, claimedUserId, tokenFingerprint, jti, ruleMatches,
                windowCount, queryText, querySha256, count, redactions, link, detector, shadow);
    }

    /** The same details with what the content detector and its shadow said. */
    public DecisionDetails withContent(DetectorResult detectorResult, ShadowResult shadowResult) {
        return new DecisionDetails(queryId, stage, reasonCode, claimedUserId, tokenFingerprint, jti, ruleMatches,
                windowCount, queryText, querySha256, count, redactions, audit, detectorResult, shadowResult);
    }

    @Override
    public String toString() {
        return "DecisionDetails[queryId=" + queryId + ", stage=" + stage + ", reasonCode=" + reasonCode
                + ", ruleMatches=" + ruleMatches + ", queryText=" + Fields.masked(queryText) + "]";
    }
}
