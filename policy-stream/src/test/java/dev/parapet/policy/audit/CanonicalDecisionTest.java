package dev.parapet.policy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parapet.events.Decision;
import dev.parapet.events.DecisionDetails;
import dev.parapet.events.DetectorResult;
import dev.parapet.events.ShadowResult;
import dev.parapet.events.ecs.AuditLink;
import dev.parapet.events.ecs.EcsEvent;
import dev.parapet.events.ecs.EcsRule;
import dev.parapet.events.ecs.EcsSource;
import dev.parapet.events.ecs.EcsUser;
import dev.parapet.events.ecs.EcsUserAgent;
import dev.parapet.events.ecs.GenAi;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stage hashes a record's canonical form; the verifier hashes a document's. They must be the same bytes. */
class CanonicalDecisionTest {

    static List<Decision> variedDecisions() {
        List<Decision> decisions = new ArrayList<>();
        Instant at = Instant.parse("2026-11-30T01:02:03.456789Z");
        AuditLink link = new AuditLink(3, 17L, "a".repeat(64), "b".repeat(64));
        // approved, with the detector and a disagreeing shadow, a user agent and a fractional risk score
        decisions.add(new Decision(1, at,
                new EcsEvent("e-1", "event", List.of("web"), List.of("allowed"), "query.approved", "success", "approved", 12.5, 0, null),
                null, new EcsUser("alice", List.of("ai.playground.user", "admin")), new EcsSource("10.0.0.1"),
                new EcsUserAgent("curl/8.0 \"quoted\" ünïcödé"), null,
                new DecisionDetails("q-1", "policy", "APPROVED", "alice", "fp-1", "jti-1", List.of(), 7, "[redacted]", "ab".repeat(32),
                        null, null, link)
                        .withContent(new DetectorResult("parapet-lexical", "2026.11.29.2", 0.123456789, 0.2, "low", "jailbreak"),
                                new ShadowResult("cand", "2", "2026.11.2", "block", 0.91, "prompt_injection", false))));
        // blocked by a rule, no user, several rule matches, no detector
        decisions.add(new Decision(1, at.plusNanos(1),
                new EcsEvent("e-2", "event", List.of("intrusion_detection"), List.of("denied"), "query.blocked", "failure",
                        "content score 95 (invisible characters)", 95.0, 3, null),
                new EcsRule("PI-001", "Instruction override"), null, new EcsSource("2001:db8::1"), null, null,
                new DecisionDetails("q-2", "policy", "PROMPT_INJECTION", null, null, null, List.of("PI-001", "EX-004", "JB-010"), null,
                        null, "cd".repeat(32), null, null, link)));
        // a worker decision: gen_ai fields, redactions as a map, a count and a duration
        decisions.add(new Decision(1, at.plusSeconds(1),
                new EcsEvent("e-3", "event", List.of("web"), List.of("allowed", "indicator"), "response.redacted", "success", "redacted",
                        0.0, 1, 123_456_789L),
                null, new EcsUser("bob", List.of()), new EcsSource("192.0.2.7"), null,
                new GenAi(new GenAi.Request("gpt-4o-mini"), new GenAi.Usage(12, 345)),
                new DecisionDetails("q-3", "worker", "OUTPUT_REDACTED", "bob", "fp-3", null, List.of(), null, null, "ef".repeat(32),
                        4L, Map.of("email", 2, "card_number", 1, "api_key", 3, "Zeta", 1, "alpha", 9), link)));
        // awkward numbers and strings: tiny and whole doubles, the largest long, an emoji, a lone surrogate (a 500-character
        // cut can leave one), control characters, U+2028, backslashes; an empty category; instants with no or whole-ms nanos
        String awkward = "tab\there \u0001 \u2028 emoji \uD83D\uDE00 lone \uD83D back\\slash \"quoted\" 日本語";
        decisions.add(new Decision(1, Instant.parse("2026-11-30T00:00:00Z"),
                new EcsEvent("e-4", "event", List.of(), List.of("denied"), "query.blocked", "failure", awkward, 100.0, 4,
                        Long.MAX_VALUE),
                new EcsRule("R-" + awkward, awkward), new EcsUser(awkward, List.of(awkward)), new EcsSource("10.0.0.4"),
                new EcsUserAgent(awkward), new GenAi(new GenAi.Request(null), new GenAi.Usage(null, null)),
                new DecisionDetails("q-4", "policy", "JAILBREAK", awkward, null, null, List.of(), 0, awkward, "12".repeat(32), 1L,
                        Map.of(awkward, 1), link)
                        .withContent(new DetectorResult("m", "1", 1.0E-5, 1.0, "high", null),
                                new ShadowResult("cand", "2", "2026.11.2", "allow", null, null, true))));
        decisions.add(new Decision(1, Instant.parse("2026-11-30T00:00:00.120Z"),
                new EcsEvent("e-5", "event", List.of("web"), List.of("allowed"), "query.approved", "success", null, 1.0E-7, null, 0L),
                null, null, new EcsSource("10.0.0.5"), null, null,
                new DecisionDetails("q-5", "policy", "APPROVED", null, null, null, null, null, null, "34".repeat(32), null, Map.of(),
                        new AuditLink(0, Long.MAX_VALUE, "e".repeat(64), "f".repeat(64)))));
        return decisions;
    }

    @Test
    void aRecordsCanonicalBytesAreTheDocumentsCanonicalBytes() {
        for (Decision decision : variedDecisions()) {
            JsonNode document = ChainVerifierTest.roundTrip(decision);
            ObjectNode audit = (ObjectNode) document.get("parapet").get("audit");
            audit.remove("prev_hash");
            audit.remove("hash");

            assertThat(new String(CanonicalDecision.bytes(decision), StandardCharsets.UTF_8))
                    .isEqualTo(new String(CanonicalJson.bytes(document), StandardCharsets.UTF_8));
        }
    }

    @Test
    void theHashTheStageLinksWithIsTheHashTheVerifierRecomputes() {
        ChainHead head = new ChainHead(41, "c".repeat(64));
        for (Decision decision : variedDecisions()) {
            Decision linked = AuditHasher.link(decision, head, 5);

            assertThat(linked.parapet().audit().seq()).isEqualTo(42L);
            assertThat(linked.parapet().audit().prevHash()).isEqualTo(head.hash());
            assertThat(AuditHasher.hash(head.hash(), ChainVerifierTest.roundTrip(linked))).isEqualTo(linked.parapet().audit().hash());
        }
    }

    /**
     * {@link CanonicalDecision} names every property it writes. A component added to one of these
     * records fails here until the writer writes it (and a decision above carries it); then add it to
     * the list.
     */
    @Test
    void theWriterKnowsEveryComponentOfTheRecordsItWrites() {
        assertThat(components(Decision.class))
                .containsExactly("schemaVersion", "timestamp", "event", "rule", "user", "source", "userAgent", "genAi", "parapet");
        assertThat(components(EcsEvent.class)).containsExactly("id", "kind", "category", "type", "action", "outcome", "reason",
                "riskScore", "severity", "duration");
        assertThat(components(EcsRule.class)).containsExactly("id", "name");
        assertThat(components(EcsUser.class)).containsExactly("id", "roles");
        assertThat(components(EcsSource.class)).containsExactly("ip");
        assertThat(components(EcsUserAgent.class)).containsExactly("original");
        assertThat(components(GenAi.class)).containsExactly("request", "usage");
        assertThat(components(GenAi.Request.class)).containsExactly("model");
        assertThat(components(GenAi.Usage.class)).containsExactly("inputTokens", "outputTokens");
        assertThat(components(DecisionDetails.class)).containsExactly("queryId", "stage", "reasonCode", "claimedUserId",
                "tokenFingerprint", "jti", "ruleMatches", "windowCount", "queryText", "querySha256", "count", "redactions", "audit",
                "detector", "shadow");
        assertThat(components(AuditLink.class)).containsExactly("partition", "seq", "prevHash", "hash");
        assertThat(components(DetectorResult.class)).containsExactly("modelId", "modelVersion", "modelScore", "score", "band",
                "category");
        assertThat(components(ShadowResult.class)).containsExactly("modelId", "modelVersion", "rulePack", "action", "score",
                "category", "agrees");
    }

    private static List<String> components(Class<? extends Record> type) {
        return java.util.Arrays.stream(type.getRecordComponents()).map(java.lang.reflect.RecordComponent::getName).toList();
    }

    @Test
    void aDecisionWithoutAnAuditLinkHasNoCanonicalForm() {
        Decision base = variedDecisions().get(1);
        Decision unlinked = new Decision(1, base.timestamp(), base.event(), base.rule(), base.user(), base.source(), null, null,
                new DecisionDetails("q-9", "policy", "APPROVED", null, null, null, List.of(), null, null, "ab".repeat(32), null, null,
                        null));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CanonicalDecision.bytes(unlinked))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCanonicalFormLeavesOutOnlyTheTwoHashFields() {
        String canonical = new String(CanonicalDecision.bytes(variedDecisions().get(0)), StandardCharsets.UTF_8);

        assertThat(canonical).contains("\"audit\":{\"partition\":3,\"seq\":17}").doesNotContain("prev_hash").doesNotContain("\"hash\"");
        assertThat(canonical).startsWith("{\"@timestamp\":\"2026-11-30T01:02:03.456789Z\",\"event\":{");
    }
}
