package dev.parapet.events.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * How a Kafka Streams instance holds its place in its group across restarts and failures, shared by
 * the policy stage and the anomaly detector.
 *
 * <ul>
 *   <li>{@code PARAPET_SESSION_TIMEOUT} (45s, 6s to 30m): how long an instance that stopped
 *       heartbeating (killed, frozen, or a static member that stopped) keeps its partitions before
 *       the group moves them.</li>
 *   <li>{@code PARAPET_STANDBY_REPLICAS} (0, at most 3): warm copies of each task's stores kept on
 *       other instances, so the instance that takes a partition over restores only the tail of its
 *       changelog. Each copy costs the instance that keeps it the changelog's reads and writes.</li>
 *   <li>{@code PARAPET_INSTANCE_ID} (unset): static membership. An instance restarted under the same
 *       id within the session timeout gets its own partitions back without a rebalance, and a
 *       clean stop no longer hands them to the others. Unique per instance and stable across its
 *       restarts (a StatefulSet pod name, one compose service per instance). Streams appends the
 *       stream thread's index ({@code policy-0-1}); a thread that replaces a failed one takes the
 *       next index, so the failed thread's id holds its partitions until the session timeout, and
 *       after the next restart (threads numbered from 1 again) so does the replacement's.</li>
 * </ul>
 *
 * @param sessionTimeout  how long a silent member keeps its partitions
 * @param standbyReplicas standby copies of every task's state, 0 to 3
 * @param instanceId      the static member id, if any
 */
public record StreamsMembership(Duration sessionTimeout, int standbyReplicas, Optional<String> instanceId) {

    /** Kafka's own default session timeout. */
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(45);

    /** Kafka's legal characters for a group instance id; 200 leaves room for the stream thread suffix under Kafka's 249. */
    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final String INSTANCE_ID_RULE = "PARAPET_INSTANCE_ID must be 1 to 200 of A-Z, a-z, 0-9, '.', '_' and '-'";
    private static final Duration MIN_SESSION = Duration.ofSeconds(6);
    private static final Duration MAX_SESSION = Duration.ofMinutes(30);

    public StreamsMembership {
        Objects.requireNonNull(sessionTimeout, "sessionTimeout can't be null");
        Objects.requireNonNull(instanceId, "instanceId can't be null");
        if (sessionTimeout.compareTo(MIN_SESSION) < 0 || sessionTimeout.compareTo(MAX_SESSION) > 0) {
            throw new IllegalArgumentException(sessionRule(sessionTimeout));
        }
        if (standbyReplicas < 0 || standbyReplicas > 3) {
            throw new IllegalArgumentException("PARAPET_STANDBY_REPLICAS must be between 0 and 3, got " + standbyReplicas);
        }
        instanceId.filter(id -> !INSTANCE_ID.matcher(id).matches()).ifPresent(id -> {
            throw new IllegalArgumentException(INSTANCE_ID_RULE);
        });
    }

    /** Dynamic membership, no standby copies, Kafka's session timeout: Kafka Streams' own defaults. */
    public static StreamsMembership dynamic() {
        return new StreamsMembership(DEFAULT_SESSION_TIMEOUT, 0, Optional.empty());
    }

    /** Reads the variables above; problems are recorded in {@code env}. */
    public static StreamsMembership from(EnvReader env) {
        Duration session = env.duration("PARAPET_SESSION_TIMEOUT", DEFAULT_SESSION_TIMEOUT);
        if (session.compareTo(MIN_SESSION) < 0 || session.compareTo(MAX_SESSION) > 0) {
            env.problem(sessionRule(session));
            session = DEFAULT_SESSION_TIMEOUT;
        }
        int standbys = env.integer("PARAPET_STANDBY_REPLICAS", 0, 0, 3);
        Optional<String> id = env.raw("PARAPET_INSTANCE_ID");
        if (id.isPresent() && !INSTANCE_ID.matcher(id.get()).matches()) {
            env.problem(INSTANCE_ID_RULE);
            id = Optional.empty();
        }
        return new StreamsMembership(session, standbys, id);
    }

    private static String sessionRule(Duration session) {
        return "PARAPET_SESSION_TIMEOUT must be between 6s and 30m (the broker's group session bounds), got " + session.toMillis() + " ms";
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
     * Adds the Streams settings: {@code num.standby.replicas}, and for the main consumer only (the
     * one in the group) the session timeout, a heartbeat of a third of it (at most 3 s) and
     * {@code group.instance.id}. The keys are spelled out because this module does not depend on
     * Kafka Streams; {@code PolicyStreamsPropertiesTest} holds them to Streams' own reading.
     */
    public void applyTo(Properties streamsProperties) {
        streamsProperties.put("num.standby.replicas", standbyReplicas);
        streamsProperties.put("main.consumer.session.timeout.ms", (int) sessionTimeout.toMillis());
        streamsProperties.put("main.consumer.heartbeat.interval.ms", (int) Math.min(3_000, sessionTimeout.toMillis() / 3));
        instanceId.ifPresent(id -> streamsProperties.put("main.consumer.group.instance.id", id));
    }
}
