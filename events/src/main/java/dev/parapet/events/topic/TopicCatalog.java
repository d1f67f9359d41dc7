package dev.parapet.events.topic;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every topic of the contract, with its retention and cleanup policy, under one configurable
 * prefix so several deployments can share a cluster. Services and tests take names from here,
 * never from string literals.
 *
 * @param prefix            prepended to every name (empty for none), for example {@code staging.}
 * @param partitions        partitions of each topic
 * @param replicationFactor replication factor, or empty for the broker default
 */
public record TopicCatalog(String prefix, int partitions, Optional<Short> replicationFactor) {

    private static final Pattern LEGAL_PREFIX = Pattern.compile("[a-zA-Z0-9._-]*");

    public static final String QUERIES = "llm.queries";
    public static final String QUERIES_APPROVED = "llm.queries.approved";
    public static final String RESPONSES = "llm.responses";
    public static final String DECISIONS = "security.decisions";
    public static final String ANOMALIES = "security.anomalies";
    public static final String REVOCATIONS = "security.revocations";
    public static final String DLQ = "parapet.dlq";
    public static final String IDEMPOTENCY = "parapet.idempotency";

    public TopicCatalog {
        Objects.requireNonNull(prefix, "prefix can't be null");
        Objects.requireNonNull(replicationFactor, "replicationFactor can't be null");
        if (!LEGAL_PREFIX.matcher(prefix).matches() || prefix.length() > 100) {
            throw new IllegalArgumentException("topic prefix '" + prefix + "' may hold only letters, digits, '.', '_' and '-'");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        replicationFactor.ifPresent(rf -> {
            if (rf < 1) {
                throw new IllegalArgumentException("replication factor must be at least 1, got " + rf);
            }
        });
    }

    /** No prefix, three partitions, broker-default replication. */
    public static TopicCatalog defaults() {
        return new TopicCatalog("", 3, Optional.empty());
    }

    public String queries() {
        return prefix + QUERIES;
    }

    public String queriesApproved() {
        return prefix + QUERIES_APPROVED;
    }

    public String responses() {
        return prefix + RESPONSES;
    }

    public String decisions() {
        return prefix + DECISIONS;
    }

    public String anomalies() {
        return prefix + ANOMALIES;
    }

    public String revocations() {
        return prefix + REVOCATIONS;
    }

    public String dlq() {
        return prefix + DLQ;
    }

    /** Which (subject, Idempotency-Key) pairs the edge has published, for 24 h. */
    public String idempotency() {
        return prefix + IDEMPOTENCY;
    }

    /** Every topic with the settings the contract fixes. */
    public List<TopicSpec> specs() {
        return List.of(
                // holds raw bearer tokens: keep it as short as recovery allows
                delete(queries(), Duration.ofDays(1)),
                delete(queriesApproved(), Duration.ofDays(3)),
                delete(responses(), Duration.ofDays(7)),
                delete(decisions(), Duration.ofDays(30)),
                delete(anomalies(), Duration.ofDays(90)),
                new TopicSpec(revocations(), partitions, replicationFactor, Map.of(
                        "cleanup.policy", "compact",
                        "min.compaction.lag.ms", "0",
                        "delete.retention.ms", String.valueOf(Duration.ofDays(1).toMillis()))),
                delete(dlq(), Duration.ofDays(14)),
                new TopicSpec(idempotency(), partitions, replicationFactor, Map.of(
                        "cleanup.policy", "compact,delete",
                        "retention.ms", String.valueOf(Duration.ofDays(1).toMillis()))));
    }

    private TopicSpec delete(String name, Duration retention) {
        return new TopicSpec(name, partitions, replicationFactor, Map.of(
                "cleanup.policy", "delete",
                "retention.ms", String.valueOf(retention.toMillis())));
    }
}
