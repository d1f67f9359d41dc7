package dev.parapet.events.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.events.ApprovedQuery;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hand-written approval encoder writes the mapper's bytes, whatever the approval holds. */
class ApprovedQueryEncoderTest {

    private static final EventCodec<ApprovedQuery> CODEC = EventCodec.of(ApprovedQuery.class);

    static List<ApprovedQuery> variedApprovals() {
        String awkward = "tab\there \u0001 \u2028 emoji \uD83D\uDE00 lone \uD83D back\\slash \"quoted\" </script> 日本語";
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("team", "search");
        metadata.put(awkward, awkward);
        metadata.put("", "");
        return List.of(
                new ApprovedQuery(1, "q-1", "d-1", Instant.parse("2026-11-30T01:02:03.456789Z"), "alice",
                        List.of("ai.playground.user", "admin"), "jti-1", "fp-1", "What is the capital of France?", "c-1",
                        Map.of("k", "v"), "10.0.0.1", 12.5, List.of("PI-003", "JB-010")),
                new ApprovedQuery(1, "q-2", "d-2", Instant.parse("2026-11-30T00:00:00Z"), "bob", null, null, null, awkward, null, null,
                        "2001:db8::1", null, null),
                new ApprovedQuery(1, "q-3", "d-3", Instant.parse("2026-11-30T00:00:00.120Z"), awkward, List.of(awkward), awkward,
                        awkward, "x".repeat(2_000), awkward, metadata, "192.0.2.7", 1.0E-7, List.of()),
                new ApprovedQuery(1, "q-4", "d-4", Instant.parse("2026-11-30T00:00:00.000000001Z"), "carol", List.of(), "j", "f",
                        "ok", "c", Map.of(), "10.0.0.4", 100.0, List.of("R")));
    }

    @Test
    void theEncoderWritesTheMappersBytes() throws Exception {
        for (ApprovedQuery approved : variedApprovals()) {
            byte[] expected = Json.mapper().writerFor(ApprovedQuery.class).writeValueAsBytes(approved);

            assertThat(new String(ApprovedQueryEncoder.encode(approved), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo(new String(expected, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(CODEC.decode(CODEC.encode(approved))).isEqualTo(approved);
        }
    }

    @Test
    void eachEncodingIsItsOwnArray() {
        List<ApprovedQuery> approvals = variedApprovals();
        byte[] first = CODEC.encode(approvals.get(0));
        byte[] copy = first.clone();
        CODEC.encode(approvals.get(2));

        assertThat(first).isEqualTo(copy);
    }

    /** A component added to {@link ApprovedQuery} fails here until the encoder writes it; then add it to the list. */
    @Test
    void theEncoderKnowsEveryComponent() {
        assertThat(Arrays.stream(ApprovedQuery.class.getRecordComponents()).map(RecordComponent::getName).toList())
                .containsExactly("schemaVersion", "queryId", "decisionId", "approvedAt", "userId", "roles", "jti", "tokenFingerprint",
                        "query", "conversationId", "metadata", "sourceIp", "riskScore", "flaggedRuleIds");
    }
}
