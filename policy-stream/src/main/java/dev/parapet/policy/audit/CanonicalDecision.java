package dev.parapet.policy.audit;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.parapet.events.Decision;
import dev.parapet.events.codec.Json;
import dev.parapet.events.ecs.AuditLink;

/**
 * The bytes {@link CanonicalJson} gives for a decision document without {@code parapet.audit.prev_hash}
 * and {@code parapet.audit.hash}, written straight from the record: properties and map entries
 * sorted by name at every level, the two hash fields left out. The policy stage hashes these on
 * every decision, which spares it building, copying and walking a tree; the verifier, which reads
 * documents rather than records, keeps {@link CanonicalJson}. {@code CanonicalDecisionTest} holds
 * the two to the same bytes.
 */
final class CanonicalDecision {

    /** Leaves the two hash fields out of the hashed form. */
    @JsonIgnoreProperties({"prev_hash", "hash"})
    private abstract static class UnhashedAuditLink {
    }

    private static final ObjectWriter WRITER = ((JsonMapper) Json.mapper()).rebuild()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .disable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .addMixIn(AuditLink.class, UnhashedAuditLink.class)
            .build()
            .writer();

    private CanonicalDecision() {
    }

    static byte[] bytes(Decision decision) {
        try {
            return WRITER.writeValueAsBytes(decision);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a decision record always serialises", e);
        }
    }
}
