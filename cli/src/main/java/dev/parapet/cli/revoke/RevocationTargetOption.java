package dev.parapet.cli.revoke;

import dev.parapet.auth.TokenVerifier;
import dev.parapet.events.RevocationTarget;
import picocli.CommandLine.Option;

/** Exactly one of {@code --user} or {@code --jti}, validated to the formats tokens carry. */
final class RevocationTargetOption {

    @Option(names = "--user", description = "revoke every token of this user id")
    String user;

    @Option(names = "--jti", description = "revoke one token by its jti (32 hex digits)")
    String jti;

    RevocationTarget target() {
        return user != null ? RevocationTarget.USER : RevocationTarget.JTI;
    }

    String id() {
        if (user != null && !TokenVerifier.USER_ID.matcher(user).matches()) {
            throw new IllegalArgumentException("--user must be 3 to 32 letters, digits, '_' or '-', got '" + user + "'");
        }
        if (jti != null && !TokenVerifier.NONCE.matcher(jti).matches()) {
            throw new IllegalArgumentException("--jti must be 32 lower-case hex digits, got '" + jti + "'");
        }
        return user != null ? user : jti;
    }
}
