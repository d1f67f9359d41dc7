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

    private static final byte[] OPEN_HASH = ascii("\"audit\":{\"hash\":\"");
    private static final byte[] PARTITION = ascii("\",\"partition\":");
    private static final byte[] PREV_HASH = ascii(",\"prev_hash\":\"");
    private static final byte[] SEQ = ascii("\",\"seq\":");

    /**
     * Puts the hash fields of {@code linked}'s audit link into {@code canonical}, the canonical
     * form of the same decision without them, in place of the audit member it holds: the member
     * becomes {@code "audit":{"hash":"…","partition":P,"prev_hash":"…","seq":S}}.
     */
    static ChainedDecision of(Decision linked, CanonicalDecision.Written canonical) {
        var link = linked.parapet().audit();
        byte[] partition = ascii(Integer.toString(link.partition()));
        byte[] seq = ascii(Long.toString(link.seq()));
        int member = OPEN_HASH.length + 64 + PARTITION.length + partition.length + PREV_HASH.length + 64 + SEQ.length + seq.length + 1;
        int at = canonical.auditStart();
        int tail = canonical.length() - canonical.auditEnd();
        byte[] json = new byte[at + member + tail];
        System.arraycopy(canonical.buffer(), 0, json, 0, at);
        int to = put(json, at, OPEN_HASH);
        to = putAscii(json, to, link.hash());
        to = put(json, to, PARTITION);
        to = put(json, to, partition);
        to = put(json, to, PREV_HASH);
        to = putAscii(json, to, link.prevHash());
        to = put(json, to, SEQ);
        to = put(json, to, seq);
        json[to++] = '}';
        System.arraycopy(canonical.buffer(), canonical.auditEnd(), json, to, tail);
        return new ChainedDecision(linked, json);
    }

    private static int put(byte[] into, int at, byte[] bytes) {
        System.arraycopy(bytes, 0, into, at, bytes.length);
        return at + bytes.length;
    }

    /** The 64 hex digits of a hash, which {@code AuditLink} has checked are ASCII. */
    private static int putAscii(byte[] into, int at, String hex) {
        for (int i = 0; i < hex.length(); i++) {
            into[at + i] = (byte) hex.charAt(i);
        }
        return at + hex.length();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
