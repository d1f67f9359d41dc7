package dev.parapet.ingest.request;

import java.util.Objects;

/**
 * An RFC 7807 problem: what the client did wrong, in words it can act on. Never echoes the
 * token or the query text.
 *
 * @param status HTTP status
 * @param title  short, stable summary, such as {@code Query too long}
 * @param detail what exactly was wrong
 */
public record Problem(int status, String title, String detail) {

    public Problem {
        Objects.requireNonNull(title, "title can't be null");
        Objects.requireNonNull(detail, "detail can't be null");
    }

    /** The {@code type} URI: a stable slug of the title. */
    public String type() {
        return "https://parapet.dev/problems/" + title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    public static Problem badRequest(String title, String detail) {
        return new Problem(400, title, detail);
    }
}
