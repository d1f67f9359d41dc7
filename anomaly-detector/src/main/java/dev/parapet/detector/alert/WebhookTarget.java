package dev.parapet.detector.alert;

import dev.parapet.events.Sha256;
import java.net.URI;
import java.util.Objects;

/**
 * Where alerts go and in which form.
 *
 * @param url    http or https endpoint
 * @param format the anomaly as JSON, or Slack-compatible {@code {"text": ...}}
 */
public record WebhookTarget(URI url, Format format) {

    /** The body posted. */
    public enum Format { JSON, SLACK }

    public WebhookTarget {
        Objects.requireNonNull(url, "url can't be null");
        Objects.requireNonNull(format, "format can't be null");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("a webhook must be http or https, got scheme '" + url.getScheme() + "'");
        }
    }

    /** A stable consumer-group suffix for this target, so each webhook keeps its own position. */
    public String groupSuffix() {
        return format.name().toLowerCase(java.util.Locale.ROOT) + "-" + Sha256.hex(url.toString()).substring(0, 12);
    }

    /** Never the full URL: its path often carries a secret (Slack tokens). */
    @Override
    public String toString() {
        return "WebhookTarget[" + redacted() + ", " + format + "]";
    }

    /** The URL without its path and query, which often carry a secret (Slack tokens). */
    public String redacted() {
        return url.getScheme() + "://" + url.getAuthority() + "/…";
    }
}
