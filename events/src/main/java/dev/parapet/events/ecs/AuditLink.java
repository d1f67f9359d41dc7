package dev.parapet.events.ecs;

import dev.parapet.events.Fields;

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

    public AuditLink {
        Fields.required(partition, "parapet.audit.partition");
        Fields.required(seq, "parapet.audit.seq");
        Fields.check(partition >= 0, "parapet.audit.partition", "must not be negative");
        Fields.check(seq >= 1, "parapet.audit.seq", "starts at 1");
        Fields.check(prevHash != null && isHexSha256(prevHash), "parapet.audit.prev_hash", "must be 64 hex digits");
        Fields.check(hash != null && isHexSha256(hash), "parapet.audit.hash", "must be 64 hex digits");
    }

    /** 64 lower-case hex digits (a loop, not a regex: every decision builds two links). */
    private static boolean isHexSha256(String text) {
        if (text == null || text.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
