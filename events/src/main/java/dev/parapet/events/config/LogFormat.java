package dev.parapet.events.config;

import java.util.Locale;
import java.util.Optional;

/**
 * {@code PARAPET_LOG_FORMAT}: {@code text} (default) or {@code json} for Elastic Common Schema
 * lines, as log shippers in containers expect. Each {@code main} calls {@link #apply()} before
 * anything logs; it selects the logback configuration shipped with the runnable jar
 * ({@code logback-ecs.xml}).
 */
public final class LogFormat {

    private LogFormat() {
    }

    /** Selects the log format; returns a problem naming the variable when its value is not known. */
    public static Optional<String> apply() {
        String format = Optional.ofNullable(System.getenv("PARAPET_LOG_FORMAT")).orElse("text").trim().toLowerCase(Locale.ROOT);
        switch (format) {
            case "json" -> {
                if (System.getProperty("logback.configurationFile") == null) {
                    System.setProperty("logback.configurationFile", "logback-ecs.xml");
                }
                return Optional.empty();
            }
            case "text", "" -> {
                return Optional.empty();
            }
            default -> {
                return Optional.of("PARAPET_LOG_FORMAT must be text or json, got '" + format + "'");
            }
        }
    }
}
