package dev.parapet.detector.rules;

import dev.parapet.events.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which rules a decision counts toward. Pure: a decision in, signals out.
 * <ul>
 *   <li>REPEATED_BLOCKED: any denied decision of a verified user (policy stage).</li>
 *   <li>EXTRACTION_PROBING: a policy decision, blocked or allowed, that matched an injection or
 *       extraction content rule (blocked for one, or flagged below the block threshold).</li>
 *   <li>INVALID_TOKEN_BURST: a token failure, keyed by source address; an edge aggregate counts
 *       as many failures as it stands for.</li>
 *   <li>TOKEN_SHARING: any decision with a verified token, keyed by its fingerprint, counting distinct addresses.</li>
 *   <li>RATE_LIMIT_STORM: a RATE_LIMITED decision of a user.</li>
 *   <li>CANARY_LEAK: the worker's output guard found the canary.</li>
 * </ul>
 */
public final class SignalExtractor {

    static final Set<String> TOKEN_FAILURES = Set.of("TOKEN_MALFORMED", "TOKEN_ALG_NOT_ALLOWED", "TOKEN_KEY_UNKNOWN",
            "TOKEN_SIGNATURE_INVALID", "TOKEN_EXPIRED", "TOKEN_EXPIRY_MISSING", "TOKEN_NOT_YET_VALID", "TOKEN_LIFETIME_TOO_LONG",
            "TOKEN_ISSUER_INVALID", "TOKEN_AUDIENCE_INVALID", "USER_ID_INVALID", "ROLES_INVALID", "NONCE_INVALID", "TOKEN_REVOKED",
            "SOURCE_RATE_LIMITED", "EDGE_UNAUTHENTICATED");
    static final Set<String> CONTENT_BLOCKS = Set.of("PROMPT_INJECTION", "JAILBREAK", "EXTRACTION_ATTEMPT");

    private final List<String> extractionPrefixes;

    public SignalExtractor(DetectorSettings settings) {
        this.extractionPrefixes = settings.extractionPrefixes();
    }

    public List<Signal> signals(Decision d) {
        List<Signal> out = new ArrayList<>();
        String reason = d.parapet().reasonCode();
        String stage = d.parapet().stage();
        String user = d.user() == null ? null : d.user().id();
        List<String> roles = d.user() == null ? List.of() : d.user().roles();
        String ip = d.source().ip();
        String jti = d.parapet().jti();
        long weight = d.parapet().count() == null ? 1 : d.parapet().count();
        boolean denied = d.event().type().contains("denied");
        if ("policy".equals(stage) && user != null) {
            if (denied) {
                out.add(new Signal(DetectionRule.REPEATED_BLOCKED, user, d.timestamp(), 1, ip, d.event().id(), roles, jti));
            }
            if (CONTENT_BLOCKS.contains(reason) || matchesExtractionRule(d.parapet().ruleMatches())) {
                out.add(new Signal(DetectionRule.EXTRACTION_PROBING, user, d.timestamp(), 1, ip, d.event().id(), roles, jti));
            }
        }
        if (TOKEN_FAILURES.contains(reason)) {
            out.add(new Signal(DetectionRule.INVALID_TOKEN_BURST, ip, d.timestamp(), weight, ip, d.event().id(), List.of(), jti));
        }
        if ("policy".equals(stage) && d.parapet().jti() != null && d.parapet().tokenFingerprint() != null) {
            out.add(new Signal(DetectionRule.TOKEN_SHARING, d.parapet().tokenFingerprint(), d.timestamp(), 1, ip, d.event().id(), roles, jti));
        }
        if ("RATE_LIMITED".equals(reason)) {
            String who = user != null ? user : d.parapet().claimedUserId();
            if (who != null) {
                out.add(new Signal(DetectionRule.RATE_LIMIT_STORM, who, d.timestamp(), 1, ip, d.event().id(), roles, jti));
            }
        }
        if ("CANARY_LEAK".equals(reason) && user != null) {
            out.add(new Signal(DetectionRule.CANARY_LEAK, user, d.timestamp(), 1, ip, d.event().id(), roles, jti));
        }
        return out;
    }

    private boolean matchesExtractionRule(List<String> ruleMatches) {
        return ruleMatches.stream().anyMatch(id -> extractionPrefixes.stream().anyMatch(id::startsWith));
    }
}
