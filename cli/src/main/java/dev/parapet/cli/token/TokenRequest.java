package dev.parapet.cli.token;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a dev token should say, validated to the formats the policy stage accepts: user ids
 * {@code ^[a-zA-Z0-9_-]{3,32}$}, roles {@code ^[a-z.]+$}, lifetime within {@code TOKEN_EXPIRY_HOURS}.
 *
 * @param userId user id, written to {@code user_id} and {@code sub}
 * @param roles  one or more roles
 * @param ttl    lifetime
 */
public record TokenRequest(String userId, List<String> roles, Duration ttl) {

    public static final Pattern USER_ID = Pattern.compile("^[a-zA-Z0-9_-]{3,32}$");
    public static final Pattern ROLE = Pattern.compile("^[a-z.]+$");

    public TokenRequest {
        Objects.requireNonNull(userId, "userId can't be null");
        Objects.requireNonNull(ttl, "ttl can't be null");
        roles = List.copyOf(roles);
        if (!USER_ID.matcher(userId).matches()) {
            throw new IllegalArgumentException("--user must be 3 to 32 letters, digits, '_' or '-', got '" + userId + "'");
        }
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("--roles needs at least one role");
        }
        for (String role : roles) {
            if (!ROLE.matcher(role).matches()) {
                throw new IllegalArgumentException("role '" + role + "' must be lower-case letters and dots, such as ai.playground.user");
            }
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("--ttl must be positive");
        }
    }
}
