package dev.parapet.worker.delivery;

import dev.parapet.events.ApprovedQuery;
import dev.parapet.events.Decision;
import dev.parapet.events.DecisionDetails;
import dev.parapet.events.NameUuid;
import dev.parapet.events.SchemaVersion;
import dev.parapet.events.Sha256;
import dev.parapet.events.ecs.EcsEvent;
import dev.parapet.events.ecs.EcsRule;
import dev.parapet.events.ecs.EcsSource;
import dev.parapet.events.ecs.EcsUser;
import dev.parapet.events.ecs.GenAi;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The worker's decisions. Their {@code event.id} is derived from the query id, so a redelivered
 * query that slips past the response ledger still indexes as the same document.
 */
final class WorkerDecisions {

    private WorkerDecisions() {
    }

    /** The id of the worker decision about {@code queryId}. */
    static String eventId(String queryId) {
        return NameUuid.of("parapet-worker:" + queryId);
    }

    /** An answer delivered, redacted or not, with its usage. */
    static Decision answered(ApprovedQuery q, Instant at, String model, Integer in, Integer out, Duration latency,
                             Map<String, Integer> redactions) {
        boolean redacted = !redactions.isEmpty();
        EcsEvent event = new EcsEvent(eventId(q.queryId()), "event", List.of("web"), List.of("info"),
                "llm.answered", "success", redacted ? "answer delivered with redactions" : "answer delivered",
                redacted ? 30.0 : 0.0, redacted ? 1 : 0, latency.toNanos());
        EcsRule rule = redacted ? new EcsRule("OUTPUT-REDACT", "Secrets or personal data redacted from model output") : null;
        return decision(q, at, event, rule, new GenAi(new GenAi.Request(model), new GenAi.Usage(in, out)),
                redacted ? "ANSWER_REDACTED" : "ANSWERED", redacted ? List.of("OUTPUT-REDACT") : List.of(), redactions);
    }

    /** An answer withheld because it leaked the canary or the system prompt: critical. */
    static Decision withheld(ApprovedQuery q, Instant at, String model, Integer in, Integer out, Duration latency, String reason) {
        EcsEvent event = new EcsEvent(eventId(q.queryId()), "event", List.of("intrusion_detection"), List.of("denied"),
                "llm.output_blocked", "failure", "model output leaked " + ("CANARY_LEAK".equals(reason) ? "the canary" : "the system prompt"),
                100.0, 4, latency.toNanos());
        EcsRule rule = "CANARY_LEAK".equals(reason)
                ? new EcsRule("OUTPUT-CANARY", "Deployment canary in model output")
                : new EcsRule("OUTPUT-SYSTEM-PROMPT", "System prompt repeated in model output");
        return decision(q, at, event, rule, new GenAi(new GenAi.Request(model), new GenAi.Usage(in, out)), reason,
                List.of(rule.id()), Map.of());
    }

    /** No answer: the provider failed or refused. */
    static Decision failed(ApprovedQuery q, Instant at, String model, String reasonCode, Duration latency) {
        EcsEvent event = new EcsEvent(eventId(q.queryId()), "event", List.of("web"), List.of("info"),
                "llm.failed", "failure", "no answer from the model provider", 0.0, 1, latency.toNanos());
        return decision(q, at, event, null, new GenAi(new GenAi.Request(model), null), reasonCode, List.of(), Map.of());
    }

    private static Decision decision(ApprovedQuery q, Instant at, EcsEvent event, EcsRule rule, GenAi genAi, String reasonCode,
                                     List<String> ruleMatches, Map<String, Integer> redactions) {
        DecisionDetails details = new DecisionDetails(q.queryId(), "worker", reasonCode, null, q.tokenFingerprint(), q.jti(),
                ruleMatches, null, null, Sha256.hex(q.query()), null, redactions, null);
        return new Decision(SchemaVersion.CURRENT, at, event, rule, new EcsUser(q.userId(), q.roles()), new EcsSource(q.sourceIp()),
                null, genAi, details);
    }
}
