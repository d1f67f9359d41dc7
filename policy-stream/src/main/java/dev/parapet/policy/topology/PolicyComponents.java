package dev.parapet.policy.topology;

import dev.parapet.auth.TokenVerifier;
import dev.parapet.policy.content.ContentCheck;
import java.time.Clock;
import java.util.Objects;

/**
 * The collaborators the topology calls: the token verifier (shared with the ingest edge), the
 * content scanner, and the wall clock that token expiry and revocation expiry are judged by.
 *
 * @param verifier token verifier
 * @param scanner  content rules
 * @param clock    wall clock
 */
public record PolicyComponents(TokenVerifier verifier, ContentCheck scanner, Clock clock) {

    public PolicyComponents {
        Objects.requireNonNull(verifier, "verifier can't be null");
        Objects.requireNonNull(scanner, "scanner can't be null");
        Objects.requireNonNull(clock, "clock can't be null");
    }
}
