package dev.parapet.events.ecs;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.parapet.events.Fields;
import java.util.List;
import java.util.Set;

/**
 * The ECS {@code event.*} field set shared by decisions and anomalies.
 *
 * @param id        {@code event.id}: unique, also the Elasticsearch document id
 * @param kind      {@code event.kind}: {@code event} for decisions, {@code alert} for anomalies
 * @param category  {@code event.category}, such as {@code authentication}, {@code intrusion_detection}
 * @param type      {@code event.type}: {@code allowed}, {@code denied} or {@code indicator}
 * @param action    {@code event.action}, such as {@code query.approved}, {@code query.blocked}
 * @param outcome   {@code event.outcome}: {@code success}, {@code failure} or {@code unknown}
 * @param reason    {@code event.reason}: human-readable why
 * @param riskScore {@code event.risk_score}, 0 to 100
 * @param severity  {@code event.severity}, 0 (info) to 4 (critical)
 * @param duration  {@code event.duration} in nanoseconds, where measured
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EcsEvent(
        String id,
        String kind,
        List<String> category,
        List<String> type,
        String action,
        String outcome,
        String reason,
        Double riskScore,
        Integer severity,
        Long duration) {

    private static final Set<String> KINDS = Set.of("event", "alert");
    private static final Set<String> TYPES = Set.of("allowed", "denied", "indicator", "info");
    private static final Set<String> OUTCOMES = Set.of("success", "failure", "unknown");

    public EcsEvent {
        Fields.required(id, "event.id");
        Fields.required(kind, "event.kind");
        Fields.check(KINDS.contains(kind), "event.kind", "must be one of " + KINDS);
        category = Fields.listOrEmpty(category);
        type = Fields.listOrEmpty(type);
        Fields.check(!type.isEmpty() && TYPES.containsAll(type), "event.type", "must be a non-empty subset of " + TYPES);
        Fields.required(action, "event.action");
        Fields.check(outcome == null || OUTCOMES.contains(outcome), "event.outcome", "must be one of " + OUTCOMES);
        Fields.check(riskScore == null || (riskScore >= 0 && riskScore <= 100), "event.risk_score", "must be within 0..100");
        Fields.check(severity == null || (severity >= 0 && severity <= 4), "event.severity", "must be within 0..4");
        Fields.check(duration == null || duration >= 0, "event.duration", "must not be negative");
    }
}
