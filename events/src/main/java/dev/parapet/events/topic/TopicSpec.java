package dev.parapet.events.topic;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One topic as the contract wants it.
 *
 * @param name              full name, prefix included
 * @param partitions        partition count
 * @param replicationFactor replication factor, or empty for the broker default
 * @param configs           topic-level configs the contract fixes (retention, cleanup policy, ...)
 */
public record TopicSpec(String name, int partitions, Optional<Short> replicationFactor, Map<String, String> configs) {

    public TopicSpec {
        Objects.requireNonNull(name, "name can't be null");
        Objects.requireNonNull(replicationFactor, "replicationFactor can't be null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("topic name can't be blank");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions + " for " + name);
        }
        configs = Map.copyOf(configs);
    }
}
