package dev.parapet.policy.topology;

import dev.parapet.events.topic.TopicCatalog;
import dev.parapet.policy.decision.QueryTextMode;
import java.time.Duration;
import java.util.Objects;

/**
 * The knobs of the policy topology, in one record that tests reuse.
 *
 * @param topics          topic names
 * @param rateLimit       queries per user per {@code rateWindow} ({@code RATE_LIMIT}, 60)
 * @param rateWindow      sliding window of the per-user limit (60 s)
 * @param ipFailureLimit  token failures per source IP per {@code ipFailureWindow} before the IP is
 *                        refused without verification ({@code PARAPET_IP_FAILURE_LIMIT}, 20)
 * @param ipFailureWindow sliding window of the per-IP failure limit (60 s)
 * @param dedupeRetention how long a query id is remembered to drop upstream retries (24 h)
 * @param queryText       how much prompt text decisions keep
 * @param eagerCommit     when a decision commits before the commit interval is up
 */
public record PolicySettings(TopicCatalog topics, int rateLimit, Duration rateWindow, int ipFailureLimit,
                             Duration ipFailureWindow, Duration dedupeRetention, QueryTextMode queryText,
                             EagerCommit eagerCommit) {

    public PolicySettings {
        Objects.requireNonNull(topics, "topics can't be null");
        Objects.requireNonNull(rateWindow, "rateWindow can't be null");
        Objects.requireNonNull(ipFailureWindow, "ipFailureWindow can't be null");
        Objects.requireNonNull(dedupeRetention, "dedupeRetention can't be null");
        Objects.requireNonNull(queryText, "queryText can't be null");
        Objects.requireNonNull(eagerCommit, "eagerCommit can't be null");
        if (rateLimit < 1 || ipFailureLimit < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /** The seed's defaults on {@code topics}. */
    public static PolicySettings defaults(TopicCatalog topics) {
        return new PolicySettings(topics, 60, Duration.ofSeconds(60), 20, Duration.ofSeconds(60), Duration.ofHours(24),
                QueryTextMode.REDACTED, EagerCommit.defaults());
    }
}
