package dev.parapet.detector.rules;

import dev.parapet.events.Anomaly;
import dev.parapet.events.AnomalyDetails;
import dev.parapet.events.NameUuid;
import dev.parapet.events.SchemaVersion;
import dev.parapet.events.ecs.EcsEvent;
import dev.parapet.events.ecs.EcsRule;
import dev.parapet.events.ecs.EcsSource;
import dev.parapet.events.ecs.EcsUser;
import java.util.List;
import java.util.Locale;

/** Builds the ECS alert for a crossing. */
public final class AnomalyFactory {

    private AnomalyFactory() {
    }

    public static Anomaly anomaly(Signal signal, RuleSettings settings, EntityWindow.Crossing crossing) {
        DetectionRule rule = signal.rule();
        // the same crossing always gets the same id, so a replay overwrites rather than duplicates in Elasticsearch
        String id = NameUuid.of(rule.name() + "|" + signal.entityId() + "|" + crossing.windowEnd().toEpochMilli());
        String reason = String.format(Locale.ROOT, "%s: %d %s by %s %s within %s (threshold %d)", rule.title(), crossing.count(),
                rule.countsDistinctAddresses() ? "distinct addresses" : "events", rule.entityType(), signal.entityId(),
                settings.window(), settings.threshold());
        EcsEvent event = new EcsEvent(id, "alert", List.of("intrusion_detection"), List.of("indicator"),
                "anomaly." + rule.name().toLowerCase(Locale.ROOT), null, reason, rule.riskScore(), rule.severityLevel(), null);
        EcsUser user = "user".equals(rule.entityType()) ? new EcsUser(signal.entityId(), signal.userRoles()) : null;
        EcsSource source = "ip".equals(rule.entityType()) ? new EcsSource(signal.entityId()) : null;
        AnomalyDetails details = new AnomalyDetails(rule.severity(), rule.entityType(), signal.entityId(), crossing.windowStart(),
                crossing.windowEnd(), crossing.count(), (long) settings.threshold(), crossing.evidence(), crossing.firstSeen(),
                crossing.lastSeen());
        return new Anomaly(SchemaVersion.CURRENT, crossing.windowEnd(), event, new EcsRule(rule.name(), rule.title()), user, source, details);
    }
}
