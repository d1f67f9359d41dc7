package dev.parapet.policy.audit;

import dev.parapet.events.Decision;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A decision linked into its partition's chain, with the JSON the decisions topic gets. The JSON
 * is the canonical form the hash was computed over, with the two hash fields put back into
 * {@code parapet.audit}: one encoding per decision instead of one for the hash and another for the
 * topic. Keys are in sorted order, which JSON readers ignore; the document is the one
 * {@code EventCodec} would write, field for field ({@code ChainedDecisionTest}). Build it with
 * {@link AuditHasher#chain}: the constructor does not check that the two components agree.
 *
 * @param decision the linked decision
 * @param json     its document, UTF-8
 */
public record ChainedDecision(Decision decision, byte[] json) {

    public ChainedDecision {
        Objects.requireNonNull(decision, "decision can't be null");
        Objects.requireNonNull(json, "json can't be null");
    }

    /**
     * Puts the hash fields of {@code linked}'s audit link into {@code canonical}, the canonical
     * form of the same decision without them, in place of the audit member it holds.
     */
    static ChainedDecision of(Decision linked, CanonicalDecision.Written canonical) {
        var link = linked.parapet().audit();
        byte[] with = ascii("\"audit\":{\"hash\":\"" + link.hash() + "\",\"partition\":" + link.partition() + ",\"prev_hash\":\""
                + link.prevHash() + "\",\"seq\":" + link.seq() + "}");
        byte[] bytes = canonical.buffer();
        int at = canonical.auditStart();
        int tail = canonical.length() - canonical.auditEnd();
        byte[] json = new byte[at + with.length + tail];
        System.arraycopy(bytes, 0, json, 0, at);
        System.arraycopy(with, 0, json, at, with.length);
        System.arraycopy(bytes, canonical.auditEnd(), json, at + with.length, tail);
        return new ChainedDecision(linked, json);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
