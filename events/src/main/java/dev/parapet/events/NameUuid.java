package dev.parapet.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.UUID;

/**
 * Name-based (version 3) UUIDs, the ids {@link UUID#nameUUIDFromBytes} gives for a name's UTF-8
 * bytes, from one MD5 digest per thread rather than a provider lookup per id. Decisions, edge
 * rejections and anomalies take their ids this way, so a replay overwrites instead of duplicating.
 */
public final class NameUuid {

    private static final ThreadLocal<MessageDigest> DIGESTS = ThreadLocal.withInitial(() -> Sha256.newDigest("MD5"));

    private NameUuid() {
    }

    /** The version 3 UUID of {@code name}'s UTF-8 bytes, as text. */
    public static String of(String name) {
        MessageDigest md5 = DIGESTS.get();
        md5.reset();
        byte[] hash = md5.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) (hash[6] & 0x0f | 0x30); // version 3
        hash[8] = (byte) (hash[8] & 0x3f | 0x80); // IETF variant
        long most = 0;
        long least = 0;
        for (int i = 0; i < 8; i++) {
            most = most << 8 | hash[i] & 0xff;
            least = least << 8 | hash[i + 8] & 0xff;
        }
        return new UUID(most, least).toString();
    }
}
