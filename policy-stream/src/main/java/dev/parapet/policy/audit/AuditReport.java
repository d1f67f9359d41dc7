package dev.parapet.policy.audit;

import java.util.List;
import java.util.Map;

/**
 * The result of checking audit chains.
 *
 * @param verified   chained records whose hash and link checked out
 * @param unchained  records without an audit link (decisions of other stages), not part of any chain
 * @param firstSeq   per partition, the sequence number its chain starts at in the source (1 unless retention removed older records)
 * @param lastSeq    per partition, the last sequence number seen
 * @param problems   the first problem of each broken partition
 */
public record AuditReport(long verified, long unchained, Map<Integer, Long> firstSeq, Map<Integer, Long> lastSeq,
                          List<AuditProblem> problems) {

    public AuditReport {
        firstSeq = Map.copyOf(firstSeq);
        lastSeq = Map.copyOf(lastSeq);
        problems = List.copyOf(problems);
    }

    public boolean intact() {
        return problems.isEmpty();
    }
}
