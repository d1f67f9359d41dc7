package dev.parapet.auth;

import dev.parapet.infra.time.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parapet.events.config.EnvReader;
import dev.parapet.events.config.Secret;
import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.Keys;
import io.jsonwebtoken.security.PublicJwk;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenVerifierTest {

    static final Secret SECRET = new Secret("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    static final String NONCE = "0123456789abcdef0123456789abcdef";

    final MutableClock clock = new MutableClock(NOW);
    final TokenVerifier verifier = new TokenVerifier(VerifierConfig.hmac(SECRET, "HS256"), clock);

    @TempDir
    Path dir;

    static JwtBuilder seedToken() {
        return Jwts.builder()
                .claim("user_id", "alice")
                .claim("roles", List.of("ai.playground.user"))
                .claim("nonce", NONCE)
                .id(NONCE)
                .issuedAt(Date.from(NOW.minusSeconds(60)))
                .expiration(Date.from(NOW.plusSeconds(1800)));
    }

    static String hs256(UnaryOperator<JwtBuilder> change) {
        return change.apply(seedToken()).signWith(Keys.hmacShaKeyFor(SECRET.bytes()), Jwts.SIG.HS256).compact();
    }

    TokenRejection rejection(String token) {
        TokenCheck check = verifier.verify(token);
        assertThat(check).isInstanceOf(TokenCheck.Invalid.class);
        return ((TokenCheck.Invalid) check).reason();
    }

    @Test
    void acceptsASeedStyleToken() {
        // When
        TokenCheck check = verifier.verify(hs256(b -> b));

        // Then
        assertThat(check).isInstanceOfSatisfying(TokenCheck.Valid.class, v -> {
            assertThat(v.token().userId()).isEqualTo("alice");
            assertThat(v.token().roles()).containsExactly("ai.playground.user");
            assertThat(v.token().jti()).isEqualTo(NONCE);
            assertThat(v.token().fingerprint()).hasSize(16);
        });
    }

    @Test
    void rejectsAlgNone() {
        String header = b64("{\"alg\":\"none\"}");
        String payload = b64("{\"user_id\":\"alice\",\"roles\":[\"ai.playground.user\"],\"nonce\":\"" + NONCE + "\"}");
        assertThat(rejection(header + "." + payload + ".")).isEqualTo(TokenRejection.TOKEN_ALG_NOT_ALLOWED);
    }

    @Test
    void rejectsAlgorithmOutsideTheAllowList() {
        String hs512 = seedToken().signWith(Keys.hmacShaKeyFor(SECRET.bytes()), Jwts.SIG.HS512).compact();
        assertThat(rejection(hs512)).isEqualTo(TokenRejection.TOKEN_ALG_NOT_ALLOWED);
    }

    @Test
    void rejectsHsRsConfusionWhereTheRsaPublicKeyIsUsedAsHmacSecret() throws Exception {
        // Given: a verifier that accepts RS256 via JWKS and HS256 with its own secret
        KeyPair rsa = Jwts.SIG.RS256.keyPair().build();
        Path jwks = writeJwks(Map.of("k1", rsa));
        TokenVerifier both = new TokenVerifier(new VerifierConfig(Set.of("HS256", "RS256"), Optional.of(SECRET),
                Optional.of(jwks), Optional.empty(), Optional.empty(), Duration.ofSeconds(30), Duration.ofHours(1),
                "ai.playground.user", 100), clock);

        // When: the attacker signs HS256 with the public key bytes
        String forged = seedToken().header().keyId("k1").and()
                .signWith(Keys.hmacShaKeyFor(padTo64(rsa.getPublic().getEncoded())), Jwts.SIG.HS256).compact();

        // Then
        assertThat(both.verify(forged)).isInstanceOfSatisfying(TokenCheck.Invalid.class,
                i -> assertThat(i.reason()).isEqualTo(TokenRejection.TOKEN_SIGNATURE_INVALID));
    }

    @Test
    void rejectsBadSignature() {
        String other = seedToken().signWith(Keys.hmacShaKeyFor("another-secret-of-at-least-thirty-two-bytes!".getBytes(StandardCharsets.UTF_8)),
                Jwts.SIG.HS256).compact();
        assertThat(rejection(other)).isEqualTo(TokenRejection.TOKEN_SIGNATURE_INVALID);
    }

    @Test
    void rejectsTamperedPayload() {
        String token = hs256(b -> b);
        String[] parts = token.split("\\.");
        String admin = b64(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("alice", "admin"));
        assertThat(rejection(parts[0] + "." + admin + "." + parts[2])).isEqualTo(TokenRejection.TOKEN_SIGNATURE_INVALID);
    }

    @Test
    void rejectsMalformedTokens() {
        assertThat(rejection("not-a-jwt")).isEqualTo(TokenRejection.TOKEN_MALFORMED);
        assertThat(rejection("a.b.c")).isEqualTo(TokenRejection.TOKEN_MALFORMED);
        assertThat(rejection(b64("{\"alg\":\"HS256\"}") + "." + b64("not json") + ".c2ln")).isIn(
                TokenRejection.TOKEN_MALFORMED, TokenRejection.TOKEN_SIGNATURE_INVALID);
        assertThat(rejection("x".repeat(TokenVerifier.MAX_TOKEN_LENGTH + 1))).isEqualTo(TokenRejection.TOKEN_MALFORMED);
        assertThat(rejection("")).isEqualTo(TokenRejection.TOKEN_MALFORMED);
    }

    @Test
    void rejectsExpiredTokenBeyondSkewOnly() {
        String token = hs256(b -> b.expiration(Date.from(NOW.minusSeconds(20))));
        assertThat(verifier.verify(token).isValid()).as("20 s late is within the 30 s skew").isTrue();
        assertThat(rejection(hs256(b -> b.expiration(Date.from(NOW.minusSeconds(31)))))).isEqualTo(TokenRejection.TOKEN_EXPIRED);
    }

    @Test
    void rejectsTokenWithoutExpiry() {
        assertThat(rejection(hs256(b -> b.expiration(null)))).isEqualTo(TokenRejection.TOKEN_EXPIRY_MISSING);
    }

    @Test
    void rejectsFutureNotBeforeAndFutureIssueTime() {
        assertThat(rejection(hs256(b -> b.notBefore(Date.from(NOW.plusSeconds(120)))))).isEqualTo(TokenRejection.TOKEN_NOT_YET_VALID);
        assertThat(rejection(hs256(b -> b.issuedAt(Date.from(NOW.plusSeconds(120)))))).isEqualTo(TokenRejection.TOKEN_NOT_YET_VALID);
    }

    @Test
    void rejectsLifetimeLongerThanTokenExpiryHours() {
        assertThat(rejection(hs256(b -> b.issuedAt(Date.from(NOW.minusSeconds(60))).expiration(Date.from(NOW.plusSeconds(7200))))))
                .isEqualTo(TokenRejection.TOKEN_LIFETIME_TOO_LONG);
    }

    @Test
    void checksIssuerAndAudienceWhenConfigured() {
        TokenVerifier strict = new TokenVerifier(new VerifierConfig(Set.of("HS256"), Optional.of(SECRET), Optional.empty(),
                Optional.of("https://idp.example"), Optional.of("parapet"), Duration.ofSeconds(30), Duration.ofHours(1),
                "ai.playground.user", 10), clock);
        assertThat(strict.verify(hs256(b -> b.issuer("https://idp.example").audience().add("parapet").and())).isValid()).isTrue();
        assertThat(((TokenCheck.Invalid) strict.verify(hs256(b -> b.issuer("https://evil.example").audience().add("parapet").and()))).reason())
                .isEqualTo(TokenRejection.TOKEN_ISSUER_INVALID);
        assertThat(((TokenCheck.Invalid) strict.verify(hs256(b -> b.issuer("https://idp.example").audience().add("other").and()))).reason())
                .isEqualTo(TokenRejection.TOKEN_AUDIENCE_INVALID);
    }

    @Test
    void rejectsUserIdAndRolesOutsideTheSeedFormats() {
        assertThat(rejection(hs256(b -> b.claim("user_id", "al")))).isEqualTo(TokenRejection.USER_ID_INVALID);
        assertThat(rejection(hs256(b -> b.claim("user_id", "alice; drop")))).isEqualTo(TokenRejection.USER_ID_INVALID);
        assertThat(rejection(hs256(b -> b.claim("user_id", null)))).isEqualTo(TokenRejection.USER_ID_INVALID);
        assertThat(rejection(hs256(b -> b.claim("roles", List.of("AI.Admin"))))).isEqualTo(TokenRejection.ROLES_INVALID);
        assertThat(rejection(hs256(b -> b.claim("roles", "ai.playground.user")))).isEqualTo(TokenRejection.ROLES_INVALID);
    }

    @Test
    void rejectsMissingRequiredRole() {
        assertThat(rejection(hs256(b -> b.claim("roles", List.of("ai.reader"))))).isEqualTo(TokenRejection.ROLE_MISSING);
    }

    @Test
    void rejectsMissingOrMalformedNonce() {
        assertThat(rejection(hs256(b -> b.claim("nonce", null).id(null)))).isEqualTo(TokenRejection.NONCE_INVALID);
        assertThat(rejection(hs256(b -> b.claim("nonce", "1234")))).isEqualTo(TokenRejection.NONCE_INVALID);
        assertThat(rejection(hs256(b -> b.id("NOT-HEX-0123456789abcdef01234567")))).isEqualTo(TokenRejection.NONCE_INVALID);
    }

    @Test
    void verifiesARepeatedTokenOnceAndForgetsItAtExpiry() {
        // Given
        String token = hs256(b -> b.expiration(Date.from(NOW.plusSeconds(300))));
        TokenCheck first = verifier.verify(token);

        // When
        TokenCheck second = verifier.verify(token);
        clock.advance(Duration.ofSeconds(400));
        TokenCheck afterExpiry = verifier.verify(token);

        // Then
        assertThat(((TokenCheck.Valid) second).token()).isSameAs(((TokenCheck.Valid) first).token());
        assertThat(afterExpiry).isInstanceOfSatisfying(TokenCheck.Invalid.class,
                i -> assertThat(i.reason()).isEqualTo(TokenRejection.TOKEN_EXPIRED));
    }

    @Test
    void verifiesRs256AndEs256ByKidAndFollowsKeyRotation() throws Exception {
        // Given
        KeyPair rsa1 = Jwts.SIG.RS256.keyPair().build();
        KeyPair ec = Jwts.SIG.ES256.keyPair().build();
        Path jwks = writeJwks(Map.of("rsa-1", rsa1, "ec-1", ec));
        TokenVerifier asymmetric = new TokenVerifier(new VerifierConfig(Set.of("RS256", "ES256"), Optional.empty(),
                Optional.of(jwks), Optional.empty(), Optional.empty(), Duration.ofSeconds(30), Duration.ofHours(1),
                "ai.playground.user", 0), clock);
        String rsToken = seedToken().header().keyId("rsa-1").and().signWith(rsa1.getPrivate(), Jwts.SIG.RS256).compact();
        String esToken = seedToken().header().keyId("ec-1").and().signWith(ec.getPrivate(), Jwts.SIG.ES256).compact();
        KeyPair rsa2 = Jwts.SIG.RS256.keyPair().build();
        String rotated = seedToken().header().keyId("rsa-2").and().signWith(rsa2.getPrivate(), Jwts.SIG.RS256).compact();

        // Then
        assertThat(asymmetric.verify(rsToken).isValid()).isTrue();
        assertThat(asymmetric.verify(esToken).isValid()).isTrue();
        assertThat(((TokenCheck.Invalid) asymmetric.verify(rotated)).reason()).isEqualTo(TokenRejection.TOKEN_KEY_UNKNOWN);

        // When: rsa-2 replaces rsa-1 in the file
        writeJwksTo(jwks, Map.of("rsa-2", rsa2, "ec-1", ec));
        Files.setLastModifiedTime(jwks, FileTime.from(Instant.now().plusSeconds(5)));

        // Then
        assertThat(asymmetric.verify(rotated).isValid()).isTrue();
        assertThat(((TokenCheck.Invalid) asymmetric.verify(rsToken)).reason()).isEqualTo(TokenRejection.TOKEN_KEY_UNKNOWN);
    }

    @Test
    void refusesToStartWithASecretShorterThan256Bits() {
        EnvReader env = EnvReader.of(Map.of("SECRET_KEY", "too-short"));
        assertThat(VerifierConfig.from(env, Optional.empty())).isEmpty();
        assertThatThrownBy(env::validate).hasMessageContaining("SECRET_KEY must be at least 32 bytes (256 bits)")
                .hasMessageNotContaining("too-short");
    }

    @Test
    void refusesAlgNoneInTheAllowList() {
        EnvReader env = EnvReader.of(Map.of("SECRET_KEY", SECRET.reveal(), "PARAPET_JWT_ALGORITHMS", "HS256,none"));
        assertThat(VerifierConfig.from(env, Optional.empty())).isEmpty();
        assertThatThrownBy(env::validate).hasMessageContaining("'none'");
    }

    @Test
    void configToStringMasksTheSecret() {
        assertThat(VerifierConfig.hmac(SECRET, "HS256").toString()).doesNotContain(SECRET.reveal()).contains("****");
    }

    private Path writeJwks(Map<String, KeyPair> keys) throws Exception {
        Path file = dir.resolve("jwks.json");
        writeJwksTo(file, keys);
        return file;
    }

    private static void writeJwksTo(Path file, Map<String, KeyPair> keys) throws Exception {
        List<Map<String, ?>> jwks = keys.entrySet().stream()
                .<Map<String, ?>>map(e -> {
                    PublicJwk<?> jwk = Jwks.builder().key(e.getValue().getPublic()).id(e.getKey()).build();
                    return Map.copyOf(jwk);
                }).toList();
        Files.writeString(file, new ObjectMapper().writeValueAsString(Map.of("keys", jwks)));
    }

    private static byte[] padTo64(byte[] key) {
        return key.length >= 64 ? key : java.util.Arrays.copyOf(key, 64);
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
