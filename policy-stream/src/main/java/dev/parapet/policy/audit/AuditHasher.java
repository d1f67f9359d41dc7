package dev.parapet.policy.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parapet.events.Decision;
import dev.parapet.events.Sha256;
import dev.parapet.events.ecs.AuditLink;
import java.nio.charset.StandardCharsets;

/**
 * {@code hash = SHA-256(prev_hash || canonical JSON of the decision without parapet.audit.prev_hash
 * and parapet.audit.hash)}, where {@code prev_hash} is the 64 hex characters of the previous link
 * in ASCII. The partition and sequence number stay in the hashed JSON, so moving or renumbering a
 * record breaks the chain too.
 */
public final class AuditHasher {

    private AuditHasher() {
    }

    /** Links {@code decision} after {@code head} on {@code partition}. */
    public static Decision link(Decision decision, ChainHead head, int partition) {
        return chain(decision, head, partition).decision();
    }

    /** Links {@code decision} after {@code head} on {@code partition}, and encodes it from the bytes it was hashed over. */
    public static ChainedDecision chain(Decision decision, ChainHead head, int partition) {
        long seq = head.seq() + 1;
        // the canonical form leaves the hash fields out, so it is written before the link exists
        CanonicalDecision.Written canonical = CanonicalDecision.write(decision, partition, seq);
        String hash = hash(head.hash(), canonical.buffer(), canonical.length());
        Decision linked = decision.withAudit(new AuditLink(partition, seq, head.hash(), hash));
        return ChainedDecision.of(linked, canonical);
    }

    /** The hash a decision document should carry, given the previous link's hash. */
    public static String hash(String prevHash, JsonNode decisionDocument) {
        JsonNode copy = decisionDocument.deepCopy();
        JsonNode audit = copy.path("parapet").path("audit");
        if (audit instanceof ObjectNode auditObject) {
            auditObject.remove("prev_hash");
            auditObject.remove("hash");
        }
        byte[] canonical = CanonicalJson.bytes(copy);
        return hash(prevHash, canonical, canonical.length);
    }

    private static String hash(String prevHash, byte[] canonical, int length) {
        return Sha256.hex(prevHash.getBytes(StandardCharsets.US_ASCII), canonical, length);
    }
}
