package dev.parapet.policy.decision;

import dev.parapet.events.ApprovedQuery;
import dev.parapet.events.Decision;
import dev.parapet.events.DecisionDetails;
import dev.parapet.events.NameUuid;
import dev.parapet.events.QueryResponse;
import dev.parapet.events.QueryStatus;
import dev.parapet.events.QuerySubmitted;
import dev.parapet.events.SchemaVersion;
import dev.parapet.events.Sha256;
import dev.parapet.events.ecs.EcsEvent;
import dev.parapet.events.ecs.EcsRule;
import dev.parapet.events.ecs.EcsSource;
import dev.parapet.events.ecs.EcsUser;
import dev.parapet.events.ecs.EcsUserAgent;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Turns a {@link PolicyVerdict} into the events the contract asks for: the ECS decision, and the
 * approved query or the blocked response. Decision ids derive from the query id, so a decision
 * re-emitted after a crash is the same document.
 */
public final class DecisionFactory {

    private static final Set<String> AUTHENTICATION = Set.of("TOKEN_MALFORMED", "TOKEN_ALG_NOT_ALLOWED", "TOKEN_KEY_UNKNOWN",
            "TOKEN_SIGNATURE_INVALID", "TOKEN_EXPIRED", "TOKEN_EXPIRY_MISSING", "TOKEN_NOT_YET_VALID", "TOKEN_LIFETIME_TOO_LONG",
            "TOKEN_ISSUER_INVALID", "TOKEN_AUDIENCE_INVALID", "USER_ID_INVALID", "ROLES_INVALID", "ROLE_MISSING",
            "NONCE_INVALID", "TOKEN_REVOKED");

    private final QueryTextMode textMode;

    public DecisionFactory(QueryTextMode textMode) {
        this.textMode = Objects.requireNonNull(textMode, "textMode can't be null");
    }

    /** The decision's id: stable for a query, so replays overwrite rather than duplicate. */
    public static String decisionId(String queryId) {
        return NameUuid.of("policy:" + queryId);
    }

    public Decision decision(QuerySubmitted query, PolicyVerdict verdict, Instant decidedAt) {
        boolean approved = verdict.approved();
        boolean flagged = verdict.outcome() == PolicyVerdict.Outcome.FLAG;
        List<String> category = approved ? List.of("web")
                : AUTHENTICATION.contains(verdict.reasonCode()) ? List.of("authentication") : List.of("intrusion_detection");
        List<String> type = approved ? (flagged ? List.of("allowed", "indicator") : List.of("allowed")) : List.of("denied");
        String action = flagged ? "query.flagged" : approved ? "query.approved" : "query.blocked";
        EcsEvent event = new EcsEvent(decisionId(query.queryId()), "event", category, type, action,
                approved ? "success" : "failure", verdict.detail(), verdict.riskScore(), severity(verdict), null);
        EcsRule rule = verdict.ruleId() == null ? null : new EcsRule(verdict.ruleId(), verdict.ruleName());
        EcsUser user = verdict.token().map(t -> new EcsUser(t.userId(), t.roles())).orElse(null);
        DecisionDetails details = new DecisionDetails(query.queryId(), "policy", verdict.reasonCode(), query.claimedSubject(),
                verdict.fingerprint(), verdict.token().map(t -> t.jti()).orElse(null), verdict.ruleMatches(),
                verdict.windowCount(), textMode.apply(query.query()), Sha256.hex(query.query()), null, null, null)
                .withContent(verdict.detector(), verdict.shadow());
        return new Decision(SchemaVersion.CURRENT, decidedAt, event, rule, user, new EcsSource(query.sourceIp()),
                query.userAgent() == null ? null : new EcsUserAgent(query.userAgent()), null, details);
    }

    public ApprovedQuery approved(QuerySubmitted query, PolicyVerdict verdict, Decision decision) {
        var token = verdict.token().orElseThrow(() -> new IllegalStateException("an approval needs a verified token"));
        return new ApprovedQuery(SchemaVersion.CURRENT, query.queryId(), decision.event().id(), decision.timestamp(),
                token.userId(), token.roles(), token.jti(), token.fingerprint(), query.query(), query.conversationId(),
                query.metadata(), query.sourceIp(), verdict.riskScore(), verdict.ruleMatches());
    }

    public QueryResponse blocked(QuerySubmitted query, PolicyVerdict verdict, Instant decidedAt) {
        return new QueryResponse(SchemaVersion.CURRENT, query.queryId(), verdict.token().map(t -> t.userId()).orElse(null),
                query.claimedSubject(), QueryStatus.BLOCKED, verdict.reasonCode(), null, null, null, null, decidedAt,
                verdict.ruleId() == null ? null : verdict.ruleId() + (verdict.ruleName() == null ? "" : ": " + verdict.ruleName()));
    }

    /** Record key of the decision: verified user, else claimed subject, else source IP. */
    public static String decisionKey(QuerySubmitted query, PolicyVerdict verdict) {
        return verdict.token().map(t -> t.userId())
                .orElse(query.claimedSubject() != null ? query.claimedSubject() : query.sourceIp());
    }

    private static int severity(PolicyVerdict verdict) {
        return switch (verdict.outcome()) {
            case APPROVE -> 0;
            case FLAG -> 1;
            case DENY -> switch (verdict.reasonCode()) {
                case "RATE_LIMITED", "SOURCE_RATE_LIMITED" -> 2;
                case "TOKEN_REVOKED", "POLICY_ERROR" -> 4;
                default -> 3;
            };
        };
    }
}
