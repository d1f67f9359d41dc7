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
        return HEX.formatHex(digest().digest(bytes));
    }

    /**
     * The calling thread's SHA-256 digest, reset. Finish it ({@link MessageDigest#digest()}) before
     * anything on the same thread asks for it again.
     */
    public static MessageDigest digest() {
        MessageDigest digest = DIGESTS.get();
        digest.reset();
        return digest;
    }

    /** Lower-case hex of a finished digest. */
    public static String hexOf(byte[] digest) {
        return HEX.formatHex(digest);
    }

    static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JRE", e);
        }
    }
}
