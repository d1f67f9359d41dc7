package dev.parapet.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short, one-way id of a token (first 16 hex digits of its SHA-256), so decisions and anomalies
 * can correlate the uses of one token without holding it.
 */
public final class TokenFingerprint {

    private TokenFingerprint() {
    }

    public static String of(String token) {
        return sha256Hex(token).substring(0, 16);
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
