package dev.parapet.policy.topology;

import java.util.Locale;

/**
 * What the policy processor reports as it decides, for metrics. Called on the stream thread; an
 * implementation must be cheap and must not throw. Labels it receives are bounded (outcomes and
 * reason codes), never a user, token or prompt.
 */
public interface PolicyObserver {

    /** Observes nothing. */
    PolicyObserver NONE = new PolicyObserver() {
        @Override
        public void decided(String outcome, String reasonCode) {
        }

        @Override
        public void contentChecked(long nanos) {
        }

        @Override
        public void commitTiming(CommitTiming timing) {
        }
    };

    /** A decision left the processor: {@code approved}, {@code flagged} or {@code denied}, with its reason code. */
    void decided(String outcome, String reasonCode);

    /** The content check of one query took {@code nanos}. */
    void contentChecked(long nanos);

    /** How the transaction carrying a decision was asked to commit (see {@link EagerCommit}). */
    void commitTiming(CommitTiming timing);

    /** The paths of {@link EagerCommit}'s gate, one per decision or per owed commit paid. */
    enum CommitTiming {
        /** Fresh, and the gap had passed: the commit was asked for at once. */
        EAGER,
        /** Fresh, but another commit was less than a gap ago: a commit is owed. */
        OWED,
        /** The punctuator paid an owed commit. */
        OWED_PAID,
        /** Older than the eager age when decided (or eager commits are off): it waits for the commit interval. */
        INTERVAL;

        /** The metric label. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
