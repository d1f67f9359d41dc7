package dev.parapet.events;

import dev.parapet.events.ecs.AuditLink;
import dev.parapet.events.ecs.EcsEvent;
import dev.parapet.events.ecs.EcsRule;
import dev.parapet.events.ecs.EcsSource;
import dev.parapet.events.ecs.EcsUser;
import dev.parapet.events.ecs.EcsUserAgent;
import dev.parapet.events.ecs.GenAi;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One fully populated instance of each contract event, for codec tests. */
public final class SampleEvents {

    public static final Instant T0 = Instant.parse("2026-11-21T10:15:30.123Z");

    private SampleEvents() {
    }

    public static QuerySubmitted querySubmitted() {
        return new QuerySubmitted(1, "q-1", T0, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln", "alice",
                "What is our refund policy?", "conv-7", Map.of("app", "helpdesk"), "10.0.0.7", "curl/8.5",
                "req-1", "idem-1");
    }

    public static ApprovedQuery approvedQuery() {
        return new ApprovedQuery(1, "q-1", "d-1", T0, "alice", List.of("ai.playground.user"),
                "0123456789abcdef0123456789abcdef", "fp-1a2b3c", "What is our refund policy?", "conv-7",
                Map.of("app", "helpdesk"), "10.0.0.7", 12.5, List.of("EXT-003"));
    }

    public static QueryResponse answered() {
        return new QueryResponse(1, "q-1", "alice", "alice", QueryStatus.ANSWERED, null, "Refunds within 30 days.",
                "gpt-4o-mini", 42, 7, T0);
    }

    public static QueryResponse blocked() {
        return new QueryResponse(1, "q-2", null, "mallory", QueryStatus.BLOCKED, "TOKEN_SIGNATURE_INVALID", null, null,
                null, null, T0);
    }

    public static Revocation revocation() {
        return new Revocation(1, RevocationTarget.JTI, "0123456789abcdef0123456789abcdef", T0, T0.plusSeconds(3600),
                "token seen from three addresses", "soc:alice");
    }

    public static Decision decision() {
        return new Decision(1, T0,
                new EcsEvent("d-1", "event", List.of("intrusion_detection"), List.of("denied"), "query.blocked",
                        "failure", "prompt injection", 87.5, 3, 1_200_000L),
                new EcsRule("PI-001", "Ignore previous instructions"),
                new EcsUser("alice", List.of("ai.playground.user")),
                new EcsSource("10.0.0.7"),
                new EcsUserAgent("curl/8.5"),
                new GenAi(new GenAi.Request("gpt-4o-mini"), new GenAi.Usage(42, 7)),
                new DecisionDetails("q-1", "policy", "PROMPT_INJECTION", "alice", "fp-1a2b3c",
                        "0123456789abcdef0123456789abcdef", List.of("PI-001"), 4, "[redacted]", "ab".repeat(32), null, Map.of("email", 1),
                        new AuditLink(2, 17L, "0".repeat(64), "f".repeat(64))));
    }

    public static Anomaly anomaly() {
        return new Anomaly(1, T0,
                new EcsEvent("a-1", "alert", List.of("intrusion_detection"), List.of("indicator"), "anomaly.detected",
                        null, "5 blocked queries in 10 minutes", 73.0, 3, null),
                new EcsRule("REPEATED_BLOCKED", "Repeated blocked queries"),
                new EcsUser("alice", List.of()),
                null,
                new AnomalyDetails("high", "user", "alice", T0.minusSeconds(600), T0, 5L, 5L,
                        List.of("d-1", "d-2", "d-3", "d-4", "d-5"), T0.minusSeconds(300), T0));
    }
}
