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
 */
public record PolicyComponents(TokenVerifier verifier, ContentCheck scanner, Clock clock, Optional<LayeredContentCheck> shadow) {

    public PolicyComponents {
        Objects.requireNonNull(verifier, "verifier can't be null");
        Objects.requireNonNull(scanner, "scanner can't be null");
        Objects.requireNonNull(clock, "clock can't be null");
        Objects.requireNonNull(shadow, "shadow can't be null");
    }

    /** Components without a shadow check. */
    public PolicyComponents(TokenVerifier verifier, ContentCheck scanner, Clock clock) {
        this(verifier, scanner, clock, Optional.empty());
    }
}
