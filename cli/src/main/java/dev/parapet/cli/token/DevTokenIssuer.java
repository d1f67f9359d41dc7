package dev.parapet.cli.token;

import dev.parapet.events.config.TokenSettings;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import io.jsonwebtoken.security.MacAlgorithm;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Issues HMAC-signed JWTs the way seed-style clients expect: {@code user_id} (also {@code sub}),
 * {@code roles}, {@code iat}, {@code exp}, and a random 32-hex {@code nonce} that is also the
 * {@code jti}.
 */
public final class DevTokenIssuer {

    private final TokenSettings settings;
    private final SecureRandom random = new SecureRandom();

    public DevTokenIssuer(TokenSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings can't be null");
        if (settings.secret().isEmpty()) {
            throw new IllegalArgumentException("a signing secret is required");
        }
    }

    public String issue(TokenRequest request, Instant now) {
        if (request.ttl().compareTo(settings.maxLifetime()) > 0) {
            throw new IllegalArgumentException("--ttl " + request.ttl().toMinutes() + "m is longer than TOKEN_EXPIRY_HOURS ("
                    + settings.maxLifetime().toHours() + "h); the policy stage would reject the token");
        }
        byte[] id = new byte[16];
        random.nextBytes(id);
        String nonce = HexFormat.of().formatHex(id);
        return Jwts.builder()
                .subject(request.userId())
                .claim("user_id", request.userId())
                .claim("roles", request.roles())
                .claim("nonce", nonce)
                .id(nonce)
                .issuedAt(Date.from(now))
                .expiration(Date.from(now.plus(request.ttl())))
                .signWith(Keys.hmacShaKeyFor(settings.secret().orElseThrow().bytes()), algorithm())
                .compact();
    }

    private MacAlgorithm algorithm() {
        return switch (settings.algorithm()) {
            case "HS384" -> Jwts.SIG.HS384;
            case "HS512" -> Jwts.SIG.HS512;
            default -> Jwts.SIG.HS256;
        };
    }
}
