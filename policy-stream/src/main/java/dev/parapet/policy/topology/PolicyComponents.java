package dev.parapet.policy.topology;

import dev.parapet.auth.TokenVerifier;
import dev.parapet.policy.content.ContentCheck;
import dev.parapet.policy.content.LayeredContentCheck;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * The collaborators the topology calls: the token verifier (shared with the ingest edge), the
 * content scanner, and the wall clock that token expiry and revocation expiry are judged by.
 *
 * @param verifier token verifier
 * @param scanner  content rules
 * @param clock    wall clock
 * @param shadow   a candidate content check run beside the enforced one and recorded, never enforced
 * @param observer told of every decision and content check, for metrics
 */
public record PolicyComponents(TokenVerifier verifier, ContentCheck scanner, Clock clock, Optional<LayeredContentCheck> shadow,
                               PolicyObserver observer) {

    public PolicyComponents {
        Objects.requireNonNull(verifier, "verifier can't be null");
        Objects.requireNonNull(scanner, "scanner can't be null");
        Objects.requireNonNull(clock, "clock can't be null");
        Objects.requireNonNull(shadow, "shadow can't be null");
        Objects.requireNonNull(observer, "observer can't be null");
    }

    /** Components observed by nothing. */
    public PolicyComponents(TokenVerifier verifier, ContentCheck scanner, Clock clock, Optional<LayeredContentCheck> shadow) {
        this(verifier, scanner, clock, shadow, PolicyObserver.NONE);
    }

    /** Components without a shadow check. */
    public PolicyComponents(TokenVerifier verifier, ContentCheck scanner, Clock clock) {
        this(verifier, scanner, clock, Optional.empty());
    }
}
