package dev.parapet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.cli.token.DevSecret;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

    @TempDir
    Path home;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void pointAtTempHome() {
        System.setProperty("parapet.home", home.toString());
    }

    @AfterEach
    void restore() {
        System.clearProperty("parapet.home");
    }

    @Test
    void tokenIsSignedWithTheDevKeyAndCarriesSeedClaims() {
        // When
        int code = run("token", "--user", "alice_01", "--roles", "ai.playground.user,ai.admin", "--ttl", "30m");

        // Then
        assertThat(code).isZero();
        Claims claims = Jwts.parser()
                .verifyWith(Keys.hmacShaKeyFor(DevSecret.loadOrCreate(home.resolve(".parapet")).bytes()))
                .build().parseSignedClaims(out.toString().trim()).getPayload();
        assertThat(claims.get("user_id", String.class)).isEqualTo("alice_01");
        assertThat(claims.getSubject()).isEqualTo("alice_01");
        assertThat(claims.get("roles", List.class)).containsExactly("ai.playground.user", "ai.admin");
        assertThat(claims.get("nonce", String.class)).matches("[0-9a-f]{32}").isEqualTo(claims.getId());
        assertThat(Duration.between(claims.getIssuedAt().toInstant(), claims.getExpiration().toInstant()))
                .isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void devKeyIsCreatedOnceWithOwnerOnlyPermissions() throws Exception {
        // When
        run("token", "--user", "alice");
        String first = Files.readString(home.resolve(".parapet/dev-secret"));
        run("token", "--user", "bob");

        // Then
        assertThat(Files.readString(home.resolve(".parapet/dev-secret"))).isEqualTo(first).hasSize(128);
        assertThat(Files.getPosixFilePermissions(home.resolve(".parapet/dev-secret")))
                .extracting(Enum::name).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
    }

    @Test
    void rejectsInvalidUserIdWithUsageExit() {
        assertThat(run("token", "--user", "al")).isEqualTo(2);
        assertThat(err.toString()).contains("--user must be 3 to 32");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void rejectsInvalidRole() {
        assertThat(run("token", "--user", "alice", "--roles", "Admin")).isEqualTo(2);
        assertThat(err.toString()).contains("role 'Admin'");
    }

    @Test
    void rejectsLifetimeBeyondTokenExpiryHours() {
        assertThat(run("token", "--user", "alice", "--ttl", "2h")).isEqualTo(2);
        assertThat(err.toString()).contains("TOKEN_EXPIRY_HOURS");
    }

    @Test
    void rejectsUnparseableTtl() {
        assertThat(run("token", "--user", "alice", "--ttl", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("--ttl must be a duration");
    }

    @Test
    void unknownCommandPrintsUsageAndExitsTwo() {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err.toString()).contains("Unmatched argument");
    }

    @Test
    void badFlagPrintsUsageAndExitsTwo() {
        assertThat(run("token", "--user", "alice", "--colour", "red")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option").contains("Usage: parapet token");
    }

    @Test
    void noCommandPrintsUsageAndExitsTwo() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("Usage: parapet");
    }

    @Test
    void topicsWithoutAStackSaysHowToStartOne() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("KAFKA_BOOTSTRAP_SERVERS") == null);
        assertThat(run("topics", "describe")).isEqualTo(2);
        assertThat(err.toString()).contains("./parapet up").contains("KAFKA_BOOTSTRAP_SERVERS");
    }

    private int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }
}
