package dev.parapet.detector.rules;

import java.time.Instant;
import java.util.List;

/**
 * One decision counting toward one rule for one entity.
 *
 * @param rule       the rule it counts toward
 * @param entityId   user id, address or token fingerprint
 * @param at         the decision's {@code @timestamp}
 * @param weight     how many events it stands for (edge decisions aggregate several)
 * @param address    the source address, which distinct-address rules count
 * @param decisionId the decision's {@code event.id}, kept as evidence
 * @param userRoles  the user's roles, when known, for the anomaly's {@code user.roles}
 * @param jti        the verified token id, when known (auto-response revokes it)
 */
public record Signal(DetectionRule rule, String entityId, Instant at, long weight, String address, String decisionId,
                     List<String> userRoles, String jti) {

    /** The state-store key of this signal's entity under its rule. */
    public String stateKey() {
        return rule.name() + "|" + entityId;
    }
}
