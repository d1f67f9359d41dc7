package dev.parapet.policy.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parapet.events.Decision;
import dev.parapet.events.codec.Json;
import dev.parapet.events.ecs.AuditLink;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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
        long seq = head.seq() + 1;
        Decision placeholder = decision.withAudit(new AuditLink(partition, seq, head.hash(), ChainHead.GENESIS_HASH));
        String hash = hash(head.hash(), Json.mapper().valueToTree(placeholder));
        return decision.withAudit(new AuditLink(partition, seq, head.hash(), hash));
    }

    /** The hash a decision document should carry, given the previous link's hash. */
    public static String hash(String prevHash, JsonNode decisionDocument) {
        JsonNode copy = decisionDocument.deepCopy();
        JsonNode audit = copy.path("parapet").path("audit");
        if (audit instanceof ObjectNode auditObject) {
            auditObject.remove("prev_hash");
            auditObject.remove("hash");
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(prevHash.getBytes(StandardCharsets.US_ASCII));
            sha.update(CanonicalJson.bytes(copy));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
