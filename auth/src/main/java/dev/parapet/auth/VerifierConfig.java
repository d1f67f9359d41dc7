package dev.parapet.auth;

import dev.parapet.events.config.EnvReader;
import dev.parapet.events.config.Secret;
import dev.parapet.events.config.TokenSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a token must satisfy. Read from the environment:
 *
 * <ul>
 *   <li>{@code SECRET_KEY}: HMAC secret (≥ 256 bits; start-up fails otherwise) — needed when an HS
 *       algorithm is allowed</li>
 *   <li>{@code JWT_ALGORITHM} (HS256): the algorithm tokens are issued with</li>
 *   <li>{@code PARAPET_JWT_ALGORITHMS}: allow-list, comma-separated (default: JWT_ALGORITHM, plus
 *       RS256/ES256 when a JWKS file is set)</li>
 *   <li>{@code PARAPET_JWKS_FILE}: JWKS with RSA/EC public keys selected by {@code kid}; re-read when it changes</li>
 *   <li>{@code PARAPET_JWT_ISSUER}, {@code PARAPET_JWT_AUDIENCE}: checked when set</li>
 *   <li>{@code PARAPET_JWT_CLOCK_SKEW} (30s), {@code TOKEN_EXPIRY_HOURS} (1): longest lifetime</li>
 *   <li>{@code PARAPET_REQUIRED_ROLE} (ai.playground.user)</li>
 *   <li>{@code PARAPET_TOKEN_CACHE_SIZE} (10000): verified tokens remembered until they expire</li>
 * </ul>
 *
 * @param allowedAlgorithms algorithms accepted
 * @param hmacSecret        HMAC secret for HS algorithms
 * @param jwksFile          JWKS for RS/ES algorithms
 * @param issuer            required {@code iss}
 * @param audience          required {@code aud} member
 * @param clockSkew         tolerance for exp, nbf and iat
 * @param maxLifetime       longest {@code exp - iat}
 * @param requiredRole      role every caller must hold
 * @param cacheSize         most verified tokens kept in memory
 */
public record VerifierConfig(Set<String> allowedAlgorithms, Optional<Secret> hmacSecret, Optional<Path> jwksFile,
                             Optional<String> issuer, Optional<String> audience, Duration clockSkew,
                             Duration maxLifetime, String requiredRole, int cacheSize) {

    static final Set<String> SUPPORTED = Set.of("HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "PS256");
    private static final Pattern ROLE = Pattern.compile("^[a-z.]+$");

    public VerifierConfig {
        allowedAlgorithms = Set.copyOf(allowedAlgorithms);
        Objects.requireNonNull(hmacSecret, "hmacSecret can't be null");
        Objects.requireNonNull(jwksFile, "jwksFile can't be null");
        Objects.requireNonNull(issuer, "issuer can't be null");
        Objects.requireNonNull(audience, "audience can't be null");
        Objects.requireNonNull(clockSkew, "clockSkew can't be null");
        Objects.requireNonNull(maxLifetime, "maxLifetime can't be null");
        Objects.requireNonNull(requiredRole, "requiredRole can't be null");
        if (allowedAlgorithms.isEmpty() || !SUPPORTED.containsAll(allowedAlgorithms)) {
            throw new IllegalArgumentException("allowed algorithms must be a non-empty subset of " + SUPPORTED + ", got " + allowedAlgorithms);
        }
        boolean hmac = allowedAlgorithms.stream().anyMatch(a -> a.startsWith("HS"));
        boolean asymmetric = allowedAlgorithms.stream().anyMatch(a -> !a.startsWith("HS"));
        if (hmac && hmacSecret.isEmpty()) {
            throw new IllegalArgumentException("SECRET_KEY is required when an HS algorithm is allowed");
        }
        for (String algorithm : allowedAlgorithms) {
            int keyBytes = hmacSecret.map(s -> s.bytes().length).orElse(Integer.MAX_VALUE);
            if (algorithm.startsWith("HS") && keyBytes < TokenSettings.minimumKeyBytes(algorithm)) {
                throw new IllegalArgumentException("SECRET_KEY must be at least " + TokenSettings.minimumKeyBytes(algorithm) * 8
                        + " bits for " + algorithm + ", got " + keyBytes * 8);
            }
        }
        if (asymmetric && jwksFile.isEmpty()) {
            throw new IllegalArgumentException("PARAPET_JWKS_FILE is required when an RS/ES algorithm is allowed");
        }
        if (!ROLE.matcher(requiredRole).matches()) {
            throw new IllegalArgumentException("PARAPET_REQUIRED_ROLE must match ^[a-z.]+$, got " + requiredRole);
        }
        if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("PARAPET_JWT_CLOCK_SKEW must be between 0 and 5m");
        }
        if (cacheSize < 0) {
            throw new IllegalArgumentException("PARAPET_TOKEN_CACHE_SIZE must not be negative");
        }
    }

    /** HMAC-only verification with the seed's defaults. */
    public static VerifierConfig hmac(Secret secret, String algorithm) {
        return new VerifierConfig(Set.of(algorithm), Optional.of(secret), Optional.empty(), Optional.empty(), Optional.empty(),
                Duration.ofSeconds(30), Duration.ofHours(1), "ai.playground.user", 10_000);
    }

    /** Reads the variables above; problems are recorded in {@code env}. */
    public static Optional<VerifierConfig> from(EnvReader env, Optional<Secret> fallbackSecret) {
        TokenSettings tokens = TokenSettings.from(env);
        Optional<Path> jwks = env.raw("PARAPET_JWKS_FILE").map(Path::of);
        jwks.filter(p -> !Files.isReadable(p)).ifPresent(p -> env.problem("PARAPET_JWKS_FILE " + p + " is not a readable file"));
        List<String> defaults = jwks.isPresent() ? List.of(tokens.algorithm(), "RS256", "ES256") : List.of(tokens.algorithm());
        List<String> algorithms = env.list("PARAPET_JWT_ALGORITHMS", defaults);
        algorithms.stream().filter(a -> !SUPPORTED.contains(a)).forEach(a ->
                env.problem("PARAPET_JWT_ALGORITHMS: '" + a + "' is not one of " + SUPPORTED + " (alg none is never allowed)"));
        Duration skew = env.duration("PARAPET_JWT_CLOCK_SKEW", Duration.ofSeconds(30));
        String role = env.matching("PARAPET_REQUIRED_ROLE", "ai.playground.user", ROLE, "lower-case letters and dots");
        int cache = env.integer("PARAPET_TOKEN_CACHE_SIZE", 10_000, 0, 10_000_000);
        Optional<String> issuer = env.raw("PARAPET_JWT_ISSUER");
        Optional<String> audience = env.raw("PARAPET_JWT_AUDIENCE");
        Optional<Secret> secret = tokens.secret().or(() -> fallbackSecret);
        if (algorithms.stream().anyMatch(a -> a.startsWith("HS")) && secret.isEmpty()) {
            env.problem("SECRET_KEY is required (at least " + TokenSettings.minimumKeyBytes(tokens.algorithm()) * 8 + " bits)");
        }
        if (!env.problems().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new VerifierConfig(Set.copyOf(algorithms), secret, jwks, issuer, audience, skew,
                    tokens.maxLifetime(), role, cache));
        } catch (IllegalArgumentException e) {
            env.problem(e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "VerifierConfig[allowedAlgorithms=" + allowedAlgorithms + ", hmacSecret=" + hmacSecret.map(s -> "****").orElse("none")
                + ", jwksFile=" + jwksFile.orElse(null) + ", issuer=" + issuer.orElse(null) + ", audience=" + audience.orElse(null)
                + ", clockSkew=" + clockSkew + ", maxLifetime=" + maxLifetime + ", requiredRole=" + requiredRole
                + ", cacheSize=" + cacheSize + "]";
    }
}
