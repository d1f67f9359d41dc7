package dev.parapet.events.config;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A secret read from configuration. {@code toString()} never shows it; call {@link #reveal()}
 * only where the value is handed to the library that needs it.
 *
 * @param value the secret
 */
public record Secret(String value) {

    public Secret {
        Objects.requireNonNull(value, "value can't be null");
    }

    public String reveal() {
        return value;
    }

    public byte[] bytes() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "****";
    }
}
