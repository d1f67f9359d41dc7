package dev.parapet.policy.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks hash chains record by record. Feed each partition's records in order with
 * {@link #accept}; records without {@code parapet.audit} are counted as unchained. The first
 * problem of a partition is kept and the rest of that partition is skipped, since everything
 * after a break is suspect. Works on any source that preserves the stored JSON: Kafka values or
 * Elasticsearch {@code _source}.
 */
public final class ChainVerifier {

    private final Map<Integer, Link> last = new HashMap<>();
    private final Map<Integer, Long> first = new HashMap<>();
    private final Map<Integer, AuditProblem> problems = new HashMap<>();
    private long verified;
    private long unchained;

    private record Link(long seq, String hash) {
    }

    /** Checks the next record of {@code partition}, found at {@code position}. */
    public void accept(int partition, long position, JsonNode document) {
        JsonNode audit = document.path("parapet").path("audit");
        if (audit.isMissingNode()) {
            if ("policy".equals(document.path("parapet").path("stage").asText())) {
                fail(partition, position, -1, AuditProblem.Kind.UNREADABLE, "policy decision without parapet.audit");
            } else {
                unchained++;
            }
            return;
        }
        if (problems.containsKey(partition)) {
            return;
        }
        long seq = audit.path("seq").asLong(-1);
        String prev = audit.path("prev_hash").asText("");
        String hash = audit.path("hash").asText("");
        if (seq < 1 || prev.length() != 64 || hash.length() != 64) {
            fail(partition, position, seq, AuditProblem.Kind.UNREADABLE, "audit fields missing or malformed");
            return;
        }
        if (audit.path("partition").asInt(-1) != partition) {
            fail(partition, position, seq, AuditProblem.Kind.WRONG_PARTITION, "names chain " + audit.path("partition").asInt(-1));
            return;
        }
        if (!AuditHasher.hash(prev, document).equals(hash)) {
            fail(partition, position, seq, AuditProblem.Kind.ALTERED, "content does not match its hash");
            return;
        }
        Link previous = last.get(partition);
        if (previous != null) {
            if (seq <= previous.seq()) {
                fail(partition, position, seq, AuditProblem.Kind.REORDERED, "follows seq " + previous.seq());
                return;
            }
            if (seq > previous.seq() + 1) {
                fail(partition, position, seq, AuditProblem.Kind.GAP, "seq " + (previous.seq() + 1) + " to " + (seq - 1) + " missing");
                return;
            }
            if (!prev.equals(previous.hash())) {
                fail(partition, position, seq, AuditProblem.Kind.BROKEN_LINK, "prev_hash does not match seq " + previous.seq());
                return;
            }
        } else {
            first.put(partition, seq);
        }
        last.put(partition, new Link(seq, hash));
        verified++;
    }

    private void fail(int partition, long position, long seq, AuditProblem.Kind kind, String detail) {
        problems.putIfAbsent(partition, new AuditProblem(partition, position, seq, kind, detail));
    }

    public AuditReport report() {
        Map<Integer, Long> lastSeq = new HashMap<>();
        last.forEach((p, link) -> lastSeq.put(p, link.seq()));
        List<AuditProblem> found = new ArrayList<>(problems.values());
        found.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
        return new AuditReport(verified, unchained, first, lastSeq, found);
    }
}
