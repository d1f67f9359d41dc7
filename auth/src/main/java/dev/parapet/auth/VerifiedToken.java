package dev.parapet.auth;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The claims of a token that verified. Holds no raw token.
 *
 * @param userId      {@code user_id}
 * @param roles       {@code roles}
 * @param jti         {@code jti}, or the {@code nonce} when the token has no {@code jti}
 * @param issuedAt    {@code iat}
 * @param expiresAt   {@code exp}
 * @param fingerprint {@link TokenFingerprint} of the token
 * @param algorithm   the JWS algorithm it was signed with
 */
public record VerifiedToken(String userId, List<String> roles, String jti, Instant issuedAt, Instant expiresAt,
                            String fingerprint, String algorithm) {

    public VerifiedToken {
        Objects.requireNonNull(userId, "userId can't be null");
        Objects.requireNonNull(jti, "jti can't be null");
        Objects.requireNonNull(expiresAt, "expiresAt can't be null");
        Objects.requireNonNull(fingerprint, "fingerprint can't be null");
        roles = List.copyOf(roles);
    }
}
