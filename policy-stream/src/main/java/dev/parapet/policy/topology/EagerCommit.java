package dev.parapet.policy.topology;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When the policy stage asks for its transaction to commit before the commit interval is up.
 *
 * <p>A decision reaches the client only once its transaction commits. With a fixed interval a
 * lone query waits half of it on average; a short interval buys latency with many small
 * transactions, which cost the broker markers on every partition they touch and stop the stage
 * from keeping up long before it runs out of decisions. The stage therefore commits at once when
 * it is keeping up, and in batches when it is not: a query processed within {@code maxAge} of being
 * published (its record timestamp, set by the edge) asks for a commit, at most one per
 * {@code minGap} across the whole instance; a fresh query that finds the gap not yet passed is
 * owed a commit, which its task's punctuator pays once the gap has passed. Once the stage falls
 * behind, its queries are older than {@code maxAge}, the requests stop, and the commit interval
 * alone batches the backlog.
 *
 * @param maxAge a query older than this when decided waits for the commit interval
 *               ({@code PARAPET_EAGER_COMMIT_AGE}, 50 ms; 0 turns eager commits off)
 * @param minGap at least this long between two eager commits of one instance
 *               ({@code PARAPET_EAGER_COMMIT_GAP}, 20 ms)
 */
public record EagerCommit(Duration maxAge, Duration minGap) {

    public EagerCommit {
        Objects.requireNonNull(maxAge, "maxAge can't be null");
        Objects.requireNonNull(minGap, "minGap can't be null");
        if (maxAge.isNegative() || minGap.isNegative()) {
            throw new IllegalArgumentException("eager commit age and gap can't be negative");
        }
        if (!maxAge.isZero() && minGap.isZero()) {
            throw new IllegalArgumentException("eager commits need a gap of at least 1 ms");
        }
    }

    /** 50 ms, at most one eager commit per 20 ms. */
    public static EagerCommit defaults() {
        return new EagerCommit(Duration.ofMillis(50), Duration.ofMillis(20));
    }

    /** Commits only on the commit interval. */
    public static EagerCommit off() {
        return new EagerCommit(Duration.ZERO, Duration.ZERO);
    }

    public boolean enabled() {
        return !maxAge.isZero();
    }

    /** A new gate, shared by every task of one topology instance. */
    Gate gate() {
        return new Gate(enabled() ? maxAge.toMillis() : -1, minGap.toMillis());
    }

    /** Decides when to ask for a commit. Thread-safe: one gate serves every task of an instance. */
    static final class Gate {

        private final long maxAgeMs;
        private final long minGapMs;
        private final AtomicLong last = new AtomicLong(Long.MIN_VALUE / 2);

        private Gate(long maxAgeMs, long minGapMs) {
            this.maxAgeMs = maxAgeMs;
            this.minGapMs = minGapMs;
        }

        /** True when eager commits are on and a query published at {@code publishedMs} is fresh at {@code nowMs}. */
        boolean fresh(long nowMs, long publishedMs) {
            return maxAgeMs >= 0 && nowMs - publishedMs <= maxAgeMs;
        }

        /** Takes the next eager commit if the gap since the last one has passed. */
        boolean tryAcquire(long nowMs) {
            long previous = last.get();
            return maxAgeMs >= 0 && nowMs - previous >= minGapMs && last.compareAndSet(previous, nowMs);
        }

        /** How often a task checks whether it can pay a commit it is owed. */
        java.time.Duration retry() {
            return java.time.Duration.ofMillis(Math.max(1, minGapMs));
        }
    }
}
