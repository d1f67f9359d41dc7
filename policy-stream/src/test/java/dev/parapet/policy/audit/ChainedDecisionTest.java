package dev.parapet.policy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.events.Decision;
import dev.parapet.events.codec.EventCodec;
import dev.parapet.events.codec.Json;
import org.junit.jupiter.api.Test;

/** The decisions topic gets the canonical bytes with the hash fields put back: the same document the codec writes. */
class ChainedDecisionTest {

    private static final EventCodec<Decision> CODEC = EventCodec.of(Decision.class);

    @Test
    void theTopicsDocumentIsTheCodecsDocumentFieldForField() throws Exception {
        ChainHead head = new ChainHead(1_234_566, "d".repeat(64));
        for (Decision decision : CanonicalDecisionTest.variedDecisions()) {
            for (int partition : new int[] {0, 7, 123}) {
                ChainedDecision chained = AuditHasher.chain(decision, head, partition);

                assertThat(Json.mapper().readTree(chained.json())).isEqualTo(Json.mapper().readTree(CODEC.encode(chained.decision())));
                assertThat(CODEC.decode(chained.json())).isEqualTo(chained.decision());
                assertThat(chained.decision().parapet().audit().partition()).isEqualTo(partition);
                assertThat(chained.decision().parapet().audit().seq()).isEqualTo(1_234_567L);
            }
        }
    }

    @Test
    void anAuditLookalikeInsideAStringIsNotTheAuditObject() throws Exception {
        String lookalike = "\"audit\":{\"partition\":3,\"seq\":42} \\\"audit\\\":{";
        Decision base = CanonicalDecisionTest.variedDecisions().get(0);
        Decision decision = new Decision(1, base.timestamp(), base.event(), base.rule(), base.user(), base.source(),
                new dev.parapet.events.ecs.EcsUserAgent(lookalike), null,
                new dev.parapet.events.DecisionDetails("q-x", "policy", "APPROVED", lookalike, null, null, java.util.List.of(lookalike),
                        null, lookalike, "ab".repeat(32), null, java.util.Map.of(lookalike, 3), null));
        ChainedDecision chained = AuditHasher.chain(decision, new ChainHead(41, "c".repeat(64)), 3);

        assertThat(Json.mapper().readTree(chained.json())).isEqualTo(Json.mapper().readTree(CODEC.encode(chained.decision())));
        assertThat(CODEC.decode(chained.json()).parapet().queryText()).isEqualTo(lookalike);
    }

    @Test
    void aChainWrittenFromTheTopicsBytesVerifies() throws Exception {
        ChainHead head = ChainHead.GENESIS;
        ChainVerifier verifier = new ChainVerifier();
        int position = 0;
        for (int round = 0; round < 3; round++) {
            for (Decision decision : CanonicalDecisionTest.variedDecisions()) {
                ChainedDecision chained = AuditHasher.chain(decision, head, 4);
                head = new ChainHead(chained.decision().parapet().audit().seq(), chained.decision().parapet().audit().hash());
                verifier.accept(4, position++, Json.mapper().readTree(chained.json()));
            }
        }

        assertThat(verifier.report().problems()).isEmpty();
        assertThat(verifier.report().verified()).isEqualTo(3 * CanonicalDecisionTest.variedDecisions().size());
    }
}
