package dev.parapet.events.ops;

import dev.parapet.events.config.EnvReader;
import java.util.Objects;

/**
 * Where a service serves {@code /metrics}, {@code /healthz} and {@code /readyz}:
 * {@code PARAPET_OPS_HOST} (default all interfaces) and {@code PARAPET_OPS_PORT} (0 picks a free port).
 *
 * @param host the address to bind
 * @param port the port, 0 for any free one
 */
public record OpsSettings(String host, int port) {

    public OpsSettings {
        Objects.requireNonNull(host, "host can't be null");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("ops port must be 0-65535, got " + port);
        }
    }

    /** Reads the ops endpoint from the environment; problems are collected by {@code env}. */
    public static OpsSettings from(EnvReader env, int defaultPort) {
        return new OpsSettings(env.string("PARAPET_OPS_HOST", "0.0.0.0"), env.integer("PARAPET_OPS_PORT", defaultPort, 0, 65_535));
    }
}
