package dev.parapet.detector.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.parapet.events.Anomaly;
import dev.parapet.events.codec.Json;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** The bodies posted for an anomaly. */
public final class AlertFormatter {

    private AlertFormatter() {
    }

    /** The body for {@code format}: the anomaly's own JSON, or Slack's text form. */
    public static byte[] body(WebhookTarget.Format format, Anomaly anomaly, byte[] original) {
        if (format == WebhookTarget.Format.JSON) {
            return original;
        }
        try {
            return Json.mapper().writeValueAsString(Map.of("text", slackText(anomaly))).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One readable line for chat: severity, rule, entity, count in window, first and last seen. */
    public static String slackText(Anomaly a) {
        var p = a.parapet();
        return String.format(Locale.ROOT, ":rotating_light: *%s* %s (%s) — %s `%s`: %d in window (threshold %d), %s → %s. Evidence: %s",
                p.severity().toUpperCase(Locale.ROOT), a.rule().id(), a.rule().name(), p.entityType(), p.entityId(), p.count(),
                p.threshold() == null ? 0 : p.threshold(), p.firstSeen(), p.lastSeen(), String.join(", ", p.evidence()));
    }
}
