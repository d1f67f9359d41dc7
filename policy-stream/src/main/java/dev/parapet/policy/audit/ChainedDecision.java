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
     * form of the same decision without them.
     */
    static ChainedDecision of(Decision linked, byte[] canonical) {
        var link = linked.parapet().audit();
        byte[] without = ascii("\"audit\":{\"partition\":" + link.partition() + ",\"seq\":" + link.seq() + "}");
        byte[] with = ascii("\"audit\":{\"hash\":\"" + link.hash() + "\",\"partition\":" + link.partition() + ",\"prev_hash\":\""
                + link.prevHash() + "\",\"seq\":" + link.seq() + "}");
        // The first match is the audit object: the sequence holds a quote right after a letter ('t"'),
        // which inside a JSON string is always escaped, so it can only close a key; the one key named
        // audit is parapet.audit (map values are numbers); and the closing '}' keeps seq 17 from
        // matching 170. Sorted keys put it early: the first member of parapet.
        int at = indexOf(canonical, without, 0);
        if (at < 0) {
            throw new IllegalStateException("the canonical form holds no audit object");
        }
        byte[] json = new byte[canonical.length - without.length + with.length];
        System.arraycopy(canonical, 0, json, 0, at);
        System.arraycopy(with, 0, json, at, with.length);
        System.arraycopy(canonical, at + without.length, json, at + with.length, canonical.length - at - without.length);
        return new ChainedDecision(linked, json);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
