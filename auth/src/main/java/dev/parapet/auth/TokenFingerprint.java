package dev.parapet.auth;

import dev.parapet.events.Sha256;


/**
 * A short, one-way id of a token (first 16 hex digits of its SHA-256), so decisions and anomalies
 * can correlate the uses of one token without holding it.
 */
public final class TokenFingerprint {

    private TokenFingerprint() {
    }

    public static String of(String token) {
        return Sha256.hex(token).substring(0, 16);
    }
}
