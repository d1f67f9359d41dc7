package dev.parapet.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.parapet.events.ecs.EcsEvent;
import dev.parapet.events.ecs.EcsRule;
import dev.parapet.events.ecs.EcsSource;
import dev.parapet.events.ecs.EcsUser;
import java.time.Instant;

/**
 * An ECS alert on {@code security.anomalies}, keyed by the entity it is about.
 *
 * @param schemaVersion always {@link SchemaVersion#CURRENT}
 * @param timestamp     {@code @timestamp}: when the threshold was crossed
 * @param event         {@code event.*} with {@code kind=alert} and {@code type=[indicator]}
 * @param rule          the detection rule
 * @param user          {@code user.*}, when the entity is a user
 * @param source        {@code source.*}, when the entity is an address
 * @param parapet       {@code parapet.*}: entity, window, count, evidence
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Anomaly(
        Integer schemaVersion,
        @JsonProperty("@timestamp") Instant timestamp,
        EcsEvent event,
        EcsRule rule,
        EcsUser user,
        EcsSource source,
        AnomalyDetails parapet) {

    public Anomaly {
        Fields.schemaVersion(schemaVersion, SchemaVersion.CURRENT);
        Fields.required(timestamp, "@timestamp");
        Fields.required(event, "event");
        Fields.required(rule, "rule");
        Fields.required(parapet, "parapet");
        Fields.check("alert".equals(event.kind()), "event.kind", "an anomaly is an alert");
    }
}
