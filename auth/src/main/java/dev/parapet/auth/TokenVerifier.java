package dev.parapet.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parapet.events.codec.Json;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.MalformedJwtException;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.security.Keys;
import io.jsonwebtoken.security.SignatureException;
import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;

/**
 * Verifies bearer tokens: algorithm allow-list first (so {@code alg: none} and HS/RS confusion
 * never reach signature code), then signature (jjwt), then expiry, not-before, issue time,
 * lifetime, issuer, audience, and the seed's claim formats: {@code user_id}, {@code roles}, the
 * required role, and a 32-hex {@code nonce}/{@code jti}. Every failure is a {@link TokenCheck.Invalid}
 * with its own {@link TokenRejection}; nothing throws out of {@link #verify}, and anything
 * unexpected is a rejection, never an approval.
 *
 * <p>Verified tokens are cached (bounded, until {@code exp}) by their SHA-256, so a token reused for
 * many queries is verified once. Thread-safe.
 */
public final class TokenVerifier {

    public static final Pattern USER_ID = Pattern.compile("^[a-zA-Z0-9_-]{3,32}$");
    public static final Pattern ROLE = Pattern.compile("^[a-z.]+$");
    public static final Pattern NONCE = Pattern.compile("^[0-9a-f]{32}$");
    private static final Pattern JWS_SHAPE = Pattern.compile("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*$");
    /** Tokens longer than this are refused unparsed. */
    public static final int MAX_TOKEN_LENGTH = 8192;

    private final VerifierConfig config;
    private final Clock clock;
    private final JwtParser parser;
    private final VerificationCache cache;

    public TokenVerifier(VerifierConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config can't be null");
        this.clock = Objects.requireNonNull(clock, "clock can't be null");
        this.cache = new VerificationCache(config.cacheSize());
        Optional<SecretKey> hmacKey = config.hmacSecret().map(s -> Keys.hmacShaKeyFor(s.bytes()));
        Optional<JwksKeys> jwks = config.jwksFile().map(JwksKeys::new);
        this.parser = Jwts.parser()
                .clock(() -> Date.from(clock.instant()))
                .clockSkewSeconds(config.clockSkew().toSeconds())
                .keyLocator(new LocatorAdapter<Key>() {
                    @Override
                    protected Key locate(JwsHeader header) {
                        if (header.getAlgorithm().startsWith("HS")) {
                            return hmacKey.orElseThrow(() -> new UnknownKeyException("no HMAC secret configured"));
                        }
                        return jwks.flatMap(keys -> keys.find(header.getKeyId()))
                                .orElseThrow(() -> new UnknownKeyException("no key with kid " + header.getKeyId()));
                    }
                })
                .build();
    }

    public VerifierConfig config() {
        return config;
    }

    /** Verifies one token at the clock's current time. */
    public TokenCheck verify(String token) {
        if (token == null || token.isEmpty()) {
            return new TokenCheck.Invalid(TokenRejection.TOKEN_MALFORMED, "no token", null);
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            return new TokenCheck.Invalid(TokenRejection.TOKEN_MALFORMED, "token longer than " + MAX_TOKEN_LENGTH, null);
        }
        String hash = dev.parapet.events.Sha256.hex(token);
        String fingerprint = hash.substring(0, 16);
        Instant now = clock.instant();
        Optional<VerifiedToken> cached = cache.get(hash, now);
        if (cached.isPresent()) {
            return new TokenCheck.Valid(cached.get());
        }
        try {
            TokenCheck check = verifyUncached(token, fingerprint, now);
            if (check instanceof TokenCheck.Valid valid) {
                cache.put(hash, valid.token());
            }
            return check;
        } catch (RuntimeException e) {
            return new TokenCheck.Invalid(TokenRejection.TOKEN_MALFORMED, "unexpected: " + e.getClass().getSimpleName(), fingerprint);
        }
    }

    /** Verifies without consulting or filling the cache (for benchmarks and tests). */
    public TokenCheck verifyUncached(String token) {
        return verifyUncached(token, TokenFingerprint.of(token), clock.instant());
    }

    private TokenCheck verifyUncached(String token, String fingerprint, Instant now) {
        if (!JWS_SHAPE.matcher(token).matches()) {
            return invalid(TokenRejection.TOKEN_MALFORMED, "not a compact JWS (three base64url parts)", fingerprint);
        }
        Optional<String> algorithm = headerAlgorithm(token);
        if (algorithm.isEmpty()) {
            return invalid(TokenRejection.TOKEN_MALFORMED, "header is not JSON with an alg", fingerprint);
        }
        if (!config.allowedAlgorithms().contains(algorithm.get())) {
            return invalid(TokenRejection.TOKEN_ALG_NOT_ALLOWED, "alg " + algorithm.get() + " not in " + config.allowedAlgorithms(), fingerprint);
        }
        Claims claims;
        try {
            Jws<Claims> jws = parser.parseSignedClaims(token);
            claims = jws.getPayload();
        } catch (ExpiredJwtException e) {
            return invalid(TokenRejection.TOKEN_EXPIRED, "expired at " + e.getClaims().getExpiration().toInstant(), fingerprint);
        } catch (PrematureJwtException e) {
            return invalid(TokenRejection.TOKEN_NOT_YET_VALID, "not valid before " + e.getClaims().getNotBefore().toInstant(), fingerprint);
        } catch (SignatureException e) {
            return invalid(TokenRejection.TOKEN_SIGNATURE_INVALID, "signature does not verify", fingerprint);
        } catch (UnknownKeyException e) {
            return invalid(TokenRejection.TOKEN_KEY_UNKNOWN, e.getMessage(), fingerprint);
        } catch (io.jsonwebtoken.security.SecurityException e) {
            return invalid(TokenRejection.TOKEN_SIGNATURE_INVALID, "key or signature refused: " + e.getClass().getSimpleName(), fingerprint);
        } catch (MalformedJwtException | IllegalArgumentException e) {
            return invalid(TokenRejection.TOKEN_MALFORMED, "malformed: " + e.getClass().getSimpleName(), fingerprint);
        } catch (JwtException e) {
            return invalid(TokenRejection.TOKEN_MALFORMED, "refused: " + e.getClass().getSimpleName(), fingerprint);
        }
        return checkClaims(claims, algorithm.get(), fingerprint, now);
    }

    private TokenCheck checkClaims(Claims claims, String algorithm, String fingerprint, Instant now) {
        Duration skew = config.clockSkew();
        Date exp = claims.getExpiration();
        if (exp == null) {
            return invalid(TokenRejection.TOKEN_EXPIRY_MISSING, "no exp claim", fingerprint);
        }
        Date iat = claims.getIssuedAt();
        if (iat == null) {
            return invalid(TokenRejection.TOKEN_MALFORMED, "no iat claim", fingerprint);
        }
        if (iat.toInstant().isAfter(now.plus(skew))) {
            return invalid(TokenRejection.TOKEN_NOT_YET_VALID, "issued in the future", fingerprint);
        }
        if (Duration.between(iat.toInstant(), exp.toInstant()).compareTo(config.maxLifetime().plus(skew)) > 0) {
            return invalid(TokenRejection.TOKEN_LIFETIME_TOO_LONG, "lifetime above " + config.maxLifetime(), fingerprint);
        }
        if (config.issuer().isPresent() && !config.issuer().get().equals(claims.getIssuer())) {
            return invalid(TokenRejection.TOKEN_ISSUER_INVALID, "issuer mismatch", fingerprint);
        }
        if (config.audience().isPresent()) {
            Set<String> audience = claims.getAudience();
            if (audience == null || !audience.contains(config.audience().get())) {
                return invalid(TokenRejection.TOKEN_AUDIENCE_INVALID, "audience mismatch", fingerprint);
            }
        }
        Object userId = claims.get("user_id");
        if (!(userId instanceof String user) || !USER_ID.matcher(user).matches()) {
            return invalid(TokenRejection.USER_ID_INVALID, "user_id missing or not ^[a-zA-Z0-9_-]{3,32}$", fingerprint);
        }
        Optional<List<String>> roles = roles(claims.get("roles"));
        if (roles.isEmpty()) {
            return invalid(TokenRejection.ROLES_INVALID, "roles missing or not a list of ^[a-z.]+$", fingerprint);
        }
        if (!roles.get().contains(config.requiredRole())) {
            return invalid(TokenRejection.ROLE_MISSING, "role " + config.requiredRole() + " missing", fingerprint);
        }
        Object nonce = claims.get("nonce");
        String jti = claims.getId();
        boolean nonceOk = nonce == null || (nonce instanceof String n && NONCE.matcher(n).matches());
        boolean jtiOk = jti == null || NONCE.matcher(jti).matches();
        if ((nonce == null && jti == null) || !nonceOk || !jtiOk) {
            return invalid(TokenRejection.NONCE_INVALID, "nonce/jti missing or not 32 hex digits", fingerprint);
        }
        String id = jti != null ? jti : (String) nonce;
        return new TokenCheck.Valid(new VerifiedToken(user, roles.get(), id, iat.toInstant(), exp.toInstant(), fingerprint, algorithm));
    }

    private static Optional<List<String>> roles(Object claim) {
        if (!(claim instanceof Collection<?> values) || values.isEmpty() || values.size() > 64) {
            return Optional.empty();
        }
        List<String> roles = new ArrayList<>();
        for (Object value : values) {
            if (!(value instanceof String role) || !ROLE.matcher(role).matches()) {
                return Optional.empty();
            }
            roles.add(role);
        }
        return Optional.of(roles);
    }

    private static Optional<String> headerAlgorithm(String token) {
        try {
            byte[] header = Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.')));
            JsonNode json = Json.mapper().readTree(header);
            JsonNode alg = json == null ? null : json.get("alg");
            return alg != null && alg.isTextual() ? Optional.of(alg.asText()) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static TokenCheck.Invalid invalid(TokenRejection reason, String detail, String fingerprint) {
        return new TokenCheck.Invalid(reason, detail, fingerprint);
    }

    /** The key locator found no key for the token. */
    private static final class UnknownKeyException extends io.jsonwebtoken.security.SecurityException {
        UnknownKeyException(String message) {
            super(message);
        }
    }
}
