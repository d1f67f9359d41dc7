package dev.parapet.policy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parapet.events.Decision;
import dev.parapet.events.DecisionDetails;
import dev.parapet.events.codec.EventCodec;
import dev.parapet.events.codec.Json;
import dev.parapet.events.ecs.EcsEvent;
import dev.parapet.events.ecs.EcsSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainVerifierTest {

    static List<JsonNode> chain(int length, int partition) {
        List<JsonNode> documents = new ArrayList<>();
        ChainHead head = ChainHead.GENESIS;
        for (int i = 0; i < length; i++) {
            Decision plain = new Decision(1, Instant.parse("2026-11-21T12:00:00Z").plusSeconds(i),
                    new EcsEvent("d-" + i, "event", List.of("web"), List.of("allowed"), "query.approved", "success", "approved",
                            7.5 * i, 0, null),
                    null, null, new EcsSource("10.0.0.1"), null, null,
                    new DecisionDetails("q-" + i, "policy", "APPROVED", "alice", "fp", null, List.of(), i, null, "ab", null, null, null));
            Decision linked = AuditHasher.link(plain, head, partition);
            head = new ChainHead(linked.parapet().audit().seq(), linked.parapet().audit().hash());
            documents.add(roundTrip(linked));
        }
        return documents;
    }

    /** As a reader of the topic sees it: the bytes the codec wrote, parsed back. */
    static JsonNode roundTrip(Decision decision) {
        try {
            return Json.mapper().readTree(EventCodec.of(Decision.class).encode(decision));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static AuditReport verify(List<JsonNode> documents, int partition) {
        ChainVerifier verifier = new ChainVerifier();
        for (int i = 0; i < documents.size(); i++) {
            verifier.accept(partition, i, documents.get(i));
        }
        return verifier.report();
    }

    @Test
    void anUntouchedChainVerifies() {
        AuditReport report = verify(chain(10, 2), 2);
        assertThat(report.intact()).isTrue();
        assertThat(report.verified()).isEqualTo(10);
        assertThat(report.lastSeq()).containsEntry(2, 10L);
    }

    @Test
    void anAlteredFieldIsFoundAtItsRecord() {
        // Given
        List<JsonNode> documents = chain(10, 0);
        ((ObjectNode) documents.get(4).get("parapet")).put("reason_code", "TOKEN_EXPIRED");

        // Then
        assertThat(verify(documents, 0).problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(AuditProblem.Kind.ALTERED);
            assertThat(p.position()).isEqualTo(4);
            assertThat(p.seq()).isEqualTo(5);
        });
    }

    @Test
    void aReHashedRecordBreaksTheNextLink() {
        // Given: the attacker alters record 4 and recomputes its hash
        List<JsonNode> documents = chain(10, 0);
        ObjectNode altered = (ObjectNode) documents.get(4);
        ((ObjectNode) altered.get("event")).put("outcome", "failure");
        ObjectNode audit = (ObjectNode) altered.get("parapet").get("audit");
        audit.put("hash", AuditHasher.hash(audit.get("prev_hash").asText(), altered));

        // Then
        assertThat(verify(documents, 0).problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(AuditProblem.Kind.BROKEN_LINK);
            assertThat(p.seq()).isEqualTo(6);
        });
    }

    @Test
    void aDeletedRecordIsAGap() {
        List<JsonNode> documents = chain(10, 1);
        documents.remove(3);
        assertThat(verify(documents, 1).problems()).singleElement()
                .satisfies(p -> assertThat(p.kind()).isEqualTo(AuditProblem.Kind.GAP));
    }

    @Test
    void swappedRecordsAreReordered() {
        List<JsonNode> documents = chain(10, 1);
        JsonNode third = documents.get(2);
        documents.set(2, documents.get(3));
        documents.set(3, third);
        assertThat(verify(documents, 1).problems()).singleElement()
                .satisfies(p -> assertThat(p.kind()).isIn(AuditProblem.Kind.GAP, AuditProblem.Kind.REORDERED));
    }

    @Test
    void aRecordMovedToAnotherPartitionIsCaught() {
        assertThat(verify(chain(3, 1), 2).problems()).singleElement()
                .satisfies(p -> assertThat(p.kind()).isEqualTo(AuditProblem.Kind.WRONG_PARTITION));
    }

    @Test
    void aChainStartingLaterThanOneIsAcceptedAsRetention() {
        List<JsonNode> documents = chain(10, 0).subList(4, 10);
        AuditReport report = verify(documents, 0);
        assertThat(report.intact()).isTrue();
        assertThat(report.firstSeq()).containsEntry(0, 5L);
    }
}
