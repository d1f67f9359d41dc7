package dev.parapet.detector;

import dev.parapet.events.Decision;
import dev.parapet.events.DecisionDetails;
import dev.parapet.events.DetectorResult;
import dev.parapet.events.ShadowResult;
import dev.parapet.events.SchemaVersion;
import dev.parapet.events.ecs.EcsEvent;
import dev.parapet.events.ecs.EcsSource;
import dev.parapet.events.ecs.EcsUser;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Decisions as the policy stage, the edge and the worker write them, for detector tests. */
public final class SampleDecisions {

    private SampleDecisions() {
    }

    /** A policy decision about a verified user's query. */
    public static Decision policy(String user, String reason, String ip, Instant at, List<String> ruleMatches, String jti) {
        boolean approved = reason.equals("APPROVED") || reason.equals("FLAGGED");
        List<String> type = reason.equals("FLAGGED") ? List.of("allowed", "indicator") : approved ? List.of("allowed") : List.of("denied");
        EcsEvent event = new EcsEvent(UUID.randomUUID().toString(), "event", List.of("authentication"), type,
                approved ? "query.approved" : "query.blocked", approved ? "success" : "failure", reason, 0.0, 0, null);
        DecisionDetails details = new DecisionDetails("q-" + UUID.randomUUID(), "policy", reason, user, "fp-" + jti, jti, ruleMatches,
                1, null, "ab", null, null, null).withContent(detector(reason), shadow(reason));
        return new Decision(SchemaVersion.CURRENT, at, event, null, new EcsUser(user, List.of("ai.playground.user")), new EcsSource(ip),
                null, null, details);
    }

    /** What the content detector says on a decision that reached the content check, as the policy stage records it. */
    static DetectorResult detector(String reason) {
        return switch (reason) {
            case "APPROVED" -> new DetectorResult("parapet-lexical", "test-1", 0.02, 0.05, "low", "prompt_injection");
            case "FLAGGED" -> new DetectorResult("parapet-lexical", "test-1", 0.6, 0.8, "uncertain", "system_prompt_extraction");
            case "PROMPT_INJECTION", "JAILBREAK", "EXTRACTION_ATTEMPT" ->
                    new DetectorResult("parapet-lexical", "test-1", 0.97, 0.99, "high", "prompt_injection");
            default -> null;
        };
    }

    /** A candidate in shadow that would block whatever the active detector flags or blocks. */
    static ShadowResult shadow(String reason) {
        DetectorResult active = detector(reason);
        if (active == null) {
            return null;
        }
        boolean blocks = !active.band().equals("low");
        return new ShadowResult("parapet-lexical", "candidate-2", "2026.11.2", blocks ? "block" : "allow", active.score(),
                blocks ? "prompt_injection" : null, blocks == active.band().equals("high"));
    }

    /** A policy decision about a token that failed: no verified user. */
    public static Decision tokenFailure(String claimedUser, String reason, String ip, Instant at) {
        EcsEvent event = new EcsEvent(UUID.randomUUID().toString(), "event", List.of("authentication"), List.of("denied"),
                "query.blocked", "failure", reason, 0.0, 0, null);
        DecisionDetails details = new DecisionDetails("q-" + UUID.randomUUID(), "policy", reason, claimedUser, "fp-x", null, List.of(),
                null, null, "ab", null, null, null);
        return new Decision(SchemaVersion.CURRENT, at, event, null, null, new EcsSource(ip), null, null, details);
    }

    /** The worker's decision about an answer that leaked the canary. */
    public static Decision canaryLeak(String user, String ip, Instant at) {
        EcsEvent event = new EcsEvent(UUID.randomUUID().toString(), "event", List.of("intrusion_detection"), List.of("denied"),
                "llm.output_blocked", "failure", "canary", 100.0, 4, null);
        DecisionDetails details = new DecisionDetails("q-" + UUID.randomUUID(), "worker", "CANARY_LEAK", null, "fp-1", "j-1",
                List.of("OUTPUT-CANARY"), null, null, "ab", null, null, null);
        return new Decision(SchemaVersion.CURRENT, at, event, null, new EcsUser(user, List.of("ai.playground.user")), new EcsSource(ip),
                null, null, details);
    }
}
