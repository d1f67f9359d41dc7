package dev.parapet.policy.audit;

/**
 * The first thing wrong with one partition's chain.
 *
 * @param partition chain (output partition)
 * @param position  offset (Kafka) or position (other sources) of the offending record
 * @param seq       its sequence number
 * @param kind      what is wrong
 * @param detail    human detail
 */
public record AuditProblem(int partition, long position, long seq, Kind kind, String detail) {

    /** Ways a chain can break. */
    public enum Kind {
        /** The hash does not match the record's content: the record was altered. */
        ALTERED,
        /** {@code prev_hash} differs from the previous record's hash: a record was replaced or re-hashed. */
        BROKEN_LINK,
        /** Sequence numbers skip: records are missing. */
        GAP,
        /** A sequence number repeats or goes back: records were reordered or duplicated. */
        REORDERED,
        /** The record names another partition's chain. */
        WRONG_PARTITION,
        /** The audit fields are missing or unreadable on a policy decision. */
        UNREADABLE
    }

    @Override
    public String toString() {
        return "partition " + partition + " at " + position + " (seq " + seq + "): " + kind + " - " + detail;
    }
}
