package dev.parapet.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Lower-case hex SHA-256: prompt hashes, token fingerprints, idempotency keys, model weights. */
public final class Sha256 {

    private static final HexFormat HEX = HexFormat.of();
    /** One digest per thread: the policy stage hashes several times per decision, and a provider lookup per hash showed. */
    private static final ThreadLocal<MessageDigest> DIGESTS = ThreadLocal.withInitial(() -> newDigest("SHA-256"));

    private Sha256() {
    }

    public static String hex(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Lower-case hex SHA-256 of bytes: model weights, data files. */
    public static String hex(byte[] bytes) {
        MessageDigest digest = DIGESTS.get();
        digest.reset();
        return HEX.formatHex(digest.digest(bytes));
    }

    /** Lower-case hex SHA-256 of {@code prefix} followed by {@code body[0, length)}, with the thread's digest. */
    public static String hex(byte[] prefix, byte[] body, int length) {
        MessageDigest digest = DIGESTS.get();
        digest.reset();
        digest.update(prefix);
        digest.update(body, 0, length);
        return HEX.formatHex(digest.digest());
    }

    static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JRE", e);
        }
    }
}
