package dev.parapet.policy.topology;

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
    };

    /** A decision left the processor: {@code approved}, {@code flagged} or {@code denied}, with its reason code. */
    void decided(String outcome, String reasonCode);

    /** The content check of one query took {@code nanos}. */
    void contentChecked(long nanos);
}
