package dev.parapet.worker.delivery;

import java.time.Duration;
import java.util.Map;

/**
 * What the query handler reports about model calls, for metrics. Implementations are thread-safe,
 * cheap and never throw; nothing they receive names a user, a token or a prompt.
 */
public interface WorkerObserver {

    /** Observes nothing. */
    WorkerObserver NONE = new WorkerObserver() {
        @Override
        public void callStarted() {
        }

        @Override
        public void callEnded(String outcome, Duration latency, Integer inputTokens, Integer outputTokens) {
        }

        @Override
        public void guarded(Map<String, Integer> redactions, String withheldReason) {
        }
    };

    /** A model call begins (in flight until {@link #callEnded}). */
    void callStarted();

    /**
     * A model call ended.
     *
     * @param outcome {@code answered}, {@code withheld} (output guard) or {@code failed}
     */
    void callEnded(String outcome, Duration latency, Integer inputTokens, Integer outputTokens);

    /** The output guard redacted these kinds (kind to count), or withheld the answer for a reason (else null). */
    void guarded(Map<String, Integer> redactions, String withheldReason);
}
