package dev.parapet.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.parapet.events.ecs.AuditLink;
import dev.parapet.events.ecs.EcsEvent;
import dev.parapet.events.ecs.EcsRule;
import dev.parapet.events.ecs.EcsSource;
import dev.parapet.events.ecs.EcsUser;
import dev.parapet.events.ecs.EcsUserAgent;
import dev.parapet.events.ecs.GenAi;
import java.time.Instant;

/**
 * One security decision, ECS-shaped so it indexes into Elasticsearch unchanged, on
 * {@code security.decisions}, keyed by user id. Every query gets exactly one from the policy stage;
 * the worker's output guard and the edge's aggregated rejections add their own.
 *
 * @param schemaVersion always {@link SchemaVersion#CURRENT}
 * @param timestamp     {@code @timestamp}
 * @param event         {@code event.*}
 * @param rule          {@code rule.*}, when a rule decided
 * @param user          {@code user.*}, when the token verified
 * @param source        {@code source.*}
 * @param userAgent     {@code user_agent.*}, when sent
 * @param genAi         {@code gen_ai.*}, for worker decisions
 * @param parapet       {@code parapet.*}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Decision(
        Integer schemaVersion,
        @JsonProperty("@timestamp") Instant timestamp,
        EcsEvent event,
        EcsRule rule,
        EcsUser user,
        EcsSource source,
        EcsUserAgent userAgent,
        GenAi genAi,
        DecisionDetails parapet) {

    public Decision {
        Fields.schemaVersion(schemaVersion, SchemaVersion.CURRENT);
        Fields.required(timestamp, "@timestamp");
        Fields.required(event, "event");
        Fields.required(source, "source");
        Fields.required(parapet, "parapet");
        Fields.check("event".equals(event.kind()), "event.kind", "a decision is an event, not an alert");
    }

    /** The same decision linked into the audit chain. */
    public Decision withAudit(AuditLink link) {
        return new Decision(schemaVersion, timestamp, event, rule, user, source, userAgent, genAi, parapet.withAudit(link));
    }
}
