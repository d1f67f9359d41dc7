package dev.parapet.events.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How bearer tokens are signed and how long they may live, shared by the issuer ({@code parapet
 * token}) and the verifier (policy stage) so the two never disagree.
 *
 * <ul>
 *   <li>{@code SECRET_KEY}: HMAC secret, at least 32 bytes (256 bits) for HS256, 48 for HS384,
 *       64 for HS512. Optional here: the local stack falls back to its generated dev key.</li>
 *   <li>{@code JWT_ALGORITHM}: HS256 (default), HS384 or HS512.</li>
 *   <li>{@code TOKEN_EXPIRY_HOURS}: longest token lifetime accepted, in hours (default 1).</li>
 * </ul>
 *
 * @param algorithm   JWS algorithm name
 * @param maxLifetime longest lifetime ({@code exp - iat}) a token may have
 * @param secret      the HMAC secret, when configured
 */
public record TokenSettings(String algorithm, Duration maxLifetime, Optional<Secret> secret) {

    private static final Pattern HMAC = Pattern.compile("HS256|HS384|HS512");

    public TokenSettings {
        Objects.requireNonNull(algorithm, "algorithm can't be null");
        Objects.requireNonNull(maxLifetime, "maxLifetime can't be null");
        Objects.requireNonNull(secret, "secret can't be null");
        if (!HMAC.matcher(algorithm).matches()) {
            throw new IllegalArgumentException("JWT_ALGORITHM must be HS256, HS384 or HS512, got " + algorithm);
        }
        secret.ifPresent(s -> {
            if (s.bytes().length < minimumKeyBytes(algorithm)) {
                throw new IllegalArgumentException("SECRET_KEY must be at least " + minimumKeyBytes(algorithm)
                        + " bytes for " + algorithm);
            }
        });
    }

    /** Reads the variables above; problems are recorded in {@code env}. */
    public static TokenSettings from(EnvReader env) {
        String algorithm = env.matching("JWT_ALGORITHM", "HS256", HMAC, "one of HS256, HS384, HS512");
        int hours = env.integer("TOKEN_EXPIRY_HOURS", 1, 1, 24 * 30);
        Optional<Secret> secret = env.optionalSecret("SECRET_KEY", minimumKeyBytes(algorithm));
        return new TokenSettings(algorithm, Duration.ofHours(hours), secret);
    }

    /** The same settings with {@code secret} as the key. */
    public TokenSettings withSecret(Secret key) {
        return new TokenSettings(algorithm, maxLifetime, Optional.of(key));
    }

    /** RFC 7518 §3.2: an HMAC key is at least as long as the hash output. */
    public static int minimumKeyBytes(String algorithm) {
        return switch (algorithm) {
            case "HS384" -> 48;
            case "HS512" -> 64;
            default -> 32;
        };
    }
}
