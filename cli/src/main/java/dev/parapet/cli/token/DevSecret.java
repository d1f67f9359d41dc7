package dev.parapet.cli.token;

import dev.parapet.events.config.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The local stack's signing key: generated once (64 random bytes, hex), kept in
 * {@code .parapet/dev-secret} with mode 0600, and used when {@code SECRET_KEY} is not set. It
 * is for a developer machine only; deployments set {@code SECRET_KEY}.
 */
public final class DevSecret {

    static final String FILE = "dev-secret";

    private DevSecret() {
    }

    public static Secret loadOrCreate(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(stateDir);
                byte[] random = new byte[64];
                new SecureRandom().nextBytes(random);
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, HexFormat.of().formatHex(random), StandardCharsets.US_ASCII);
                } catch (FileAlreadyExistsException e) {
                    // another command created it at the same moment; use theirs
                }
            }
            String value = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (value.length() < 64) {
                throw new IllegalStateException(file + " is damaged (shorter than 64 characters); delete it to generate a new key");
            }
            return new Secret(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }
}
