package dev.parapet.events.ecs;

import dev.parapet.events.Fields;
import java.util.regex.Pattern;

/**
 * A decision's place in the tamper-evident audit chain ({@code parapet.audit.*}):
 * {@code hash = SHA-256(prev_hash || canonical JSON of the decision without these hash fields)},
 * chained per output partition.
 *
 * @param partition output partition whose chain this link belongs to
 * @param seq       position in that chain, from 1
 * @param prevHash  hex hash of the previous link (64 zeros for the first)
 * @param hash      hex hash of this link
 */
public record AuditLink(Integer partition, Long seq, String prevHash, String hash) {

    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");

    public AuditLink {
        Fields.required(partition, "parapet.audit.partition");
        Fields.required(seq, "parapet.audit.seq");
        Fields.check(partition >= 0, "parapet.audit.partition", "must not be negative");
        Fields.check(seq >= 1, "parapet.audit.seq", "starts at 1");
        Fields.check(prevHash != null && HEX_SHA256.matcher(prevHash).matches(), "parapet.audit.prev_hash", "must be 64 hex digits");
        Fields.check(hash != null && HEX_SHA256.matcher(hash).matches(), "parapet.audit.hash", "must be 64 hex digits");
    }
}
