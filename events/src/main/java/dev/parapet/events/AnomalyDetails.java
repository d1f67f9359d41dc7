package dev.parapet.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Parapet's own fields of an anomaly ({@code parapet.*}).
 *
 * @param severity    {@code low}, {@code medium}, {@code high} or {@code critical}
 * @param entityType  {@code user}, {@code ip} or {@code token}
 * @param entityId    the user id, IP address or token fingerprint
 * @param windowStart start of the detection window
 * @param windowEnd   end of the detection window
 * @param count       events counted in the window when the threshold was crossed
 * @param threshold   the threshold that was crossed
 * @param evidence    up to ten decision ids ({@code event.id}) that made up the count
 * @param firstSeen   time of the first counted decision
 * @param lastSeen    time of the last counted decision
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnomalyDetails(
        String severity,
        String entityType,
        String entityId,
        Instant windowStart,
        Instant windowEnd,
        Long count,
        Long threshold,
        List<String> evidence,
        Instant firstSeen,
        Instant lastSeen) {

    /** Most decision ids an anomaly carries as evidence. */
    public static final int MAX_EVIDENCE = 10;

    private static final Set<String> SEVERITIES = Set.of("low", "medium", "high", "critical");
    private static final Set<String> ENTITY_TYPES = Set.of("user", "ip", "token");

    public AnomalyDetails {
        Fields.check(severity != null && SEVERITIES.contains(severity), "parapet.severity", "must be one of " + SEVERITIES);
        Fields.check(entityType != null && ENTITY_TYPES.contains(entityType), "parapet.entity_type", "must be one of " + ENTITY_TYPES);
        Fields.required(entityId, "parapet.entity_id");
        Fields.required(count, "parapet.count");
        Fields.check(count >= 1, "parapet.count", "must be at least 1");
        evidence = Fields.listOrEmpty(evidence);
        Fields.check(evidence.size() <= MAX_EVIDENCE, "parapet.evidence", "holds at most " + MAX_EVIDENCE + " ids");
        Fields.check(windowStart == null || windowEnd == null || !windowEnd.isBefore(windowStart), "parapet.window_end",
                "must not precede window_start");
    }
}
