package dev.parapet.auth;

import io.jsonwebtoken.security.Jwk;
import io.jsonwebtoken.security.JwkSet;
import io.jsonwebtoken.security.Jwks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.Key;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Public keys from a JWKS file, by {@code kid}. The file is re-read when its modification time
 * changes, so keys rotate by replacing the file: add the new key, issue with it, remove the old
 * one once its tokens have expired. A file that stops parsing keeps the last good key set.
 */
final class JwksKeys {

    private final Path file;
    private volatile FileTime loadedAt;
    private volatile Map<String, PublicKey> keys = Map.of();

    JwksKeys(Path file) {
        this.file = Objects.requireNonNull(file, "file can't be null");
        reloadIfChanged();
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("PARAPET_JWKS_FILE " + file + " holds no public key with a kid");
        }
    }

    Optional<Key> find(String kid) {
        reloadIfChanged();
        return Optional.ofNullable(kid).map(keys::get);
    }

    private void reloadIfChanged() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            if (modified.equals(loadedAt)) {
                return;
            }
            synchronized (this) {
                if (modified.equals(loadedAt)) {
                    return;
                }
                JwkSet set = Jwks.setParser().build().parse(Files.readString(file, StandardCharsets.UTF_8));
                Map<String, PublicKey> loaded = new HashMap<>();
                for (Jwk<?> jwk : set.getKeys()) {
                    if (jwk.getId() != null && jwk.toKey() instanceof PublicKey publicKey) {
                        loaded.put(jwk.getId(), publicKey);
                    }
                }
                keys = Map.copyOf(loaded);
                loadedAt = modified;
            }
        } catch (IOException e) {
            if (keys.isEmpty()) {
                throw new UncheckedIOException("cannot read PARAPET_JWKS_FILE " + file, e);
            }
        } catch (RuntimeException e) {
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("PARAPET_JWKS_FILE " + file + " is not a valid JWKS: " + e.getMessage(), e);
            }
        }
    }
}
