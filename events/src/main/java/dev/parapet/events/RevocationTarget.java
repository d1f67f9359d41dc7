package dev.parapet.events;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a revocation blocks: every token of a user, or one token by its {@code jti}. */
public enum RevocationTarget {
    USER, JTI;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The record key on {@code security.revocations}: {@code user:ID} or {@code jti:ID}. */
    public String key(String id) {
        return wireName() + ":" + id;
    }
}
