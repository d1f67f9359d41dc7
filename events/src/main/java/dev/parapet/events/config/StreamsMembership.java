package dev.parapet.events.config;

import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * How a Kafka Streams instance holds its place in its group across restarts and failures, shared by
 * the policy stage and the anomaly detector.
 *
 * <ul>
 *   <li>{@code PARAPET_STANDBY_REPLICAS} (0): warm copies of each task's stores kept on other
 *       instances, so the instance that takes a partition over restores only the tail of its
 *       changelog. Each copy costs the instance that keeps it the changelog's reads and writes.</li>
 *   <li>{@code PARAPET_INSTANCE_ID} (unset): static membership. An instance restarted under the same
 *       id within the session timeout gets its own partitions back without a rebalance, and a
 *       clean stop no longer hands them to the others. Unique per instance and stable across its
 *       restarts (a StatefulSet pod name, a compose service name); a second live instance with the
 *       same id fences the first.</li>
 * </ul>
 *
 * @param standbyReplicas standby copies of every task's state, 0 to 3
 * @param instanceId      the static member id, if any
 */
public record StreamsMembership(int standbyReplicas, Optional<String> instanceId) {

    /** Kafka's legal characters for a group instance id; 200 leaves room for the stream thread suffix under Kafka's 249. */
    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    public StreamsMembership {
        Objects.requireNonNull(instanceId, "instanceId can't be null");
        if (standbyReplicas < 0 || standbyReplicas > 3) {
            throw new IllegalArgumentException("PARAPET_STANDBY_REPLICAS must be between 0 and 3, got " + standbyReplicas);
        }
        instanceId.filter(id -> !INSTANCE_ID.matcher(id).matches()).ifPresent(id -> {
            throw new IllegalArgumentException("PARAPET_INSTANCE_ID must be 1 to 200 of A-Z, a-z, 0-9, '.', '_' and '-'");
        });
    }

    /** Dynamic membership and no standby copies: Kafka Streams' own defaults. */
    public static StreamsMembership dynamic() {
        return new StreamsMembership(0, Optional.empty());
    }

    /** Reads the variables above; problems are recorded in {@code env}. */
    public static StreamsMembership from(EnvReader env) {
        int standbys = env.integer("PARAPET_STANDBY_REPLICAS", 0, 0, 3);
        Optional<String> id = env.raw("PARAPET_INSTANCE_ID");
        if (id.isPresent() && !INSTANCE_ID.matcher(id.get()).matches()) {
            env.problem("PARAPET_INSTANCE_ID must be 1 to 200 of A-Z, a-z, 0-9, '.', '_' and '-'");
            id = Optional.empty();
        }
        return new StreamsMembership(standbys, id);
    }

    /**
     * Whether a clean stop should leave the group, so the others take the partitions over at once.
     * A static member stays: its restart gets the same partitions back without a rebalance, and
     * if it does not come back they move after the session timeout.
     */
    public boolean leaveGroupOnClose() {
        return instanceId.isEmpty();
    }

    /**
     * Adds the Streams settings: {@code num.standby.replicas}, and {@code group.instance.id} for the
     * main consumer only (Streams appends each stream thread's index to it). The keys are spelled
     * out because this module does not depend on Kafka Streams; {@code PolicyStreamsPropertiesTest}
     * holds them to Streams' constants.
     */
    public void applyTo(Properties streamsProperties) {
        streamsProperties.put("num.standby.replicas", standbyReplicas);
        instanceId.ifPresent(id -> streamsProperties.put("main.consumer.group.instance.id", id));
    }
}
