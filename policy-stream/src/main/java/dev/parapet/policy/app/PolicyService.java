package dev.parapet.policy.app;

import dev.parapet.auth.TokenVerifier;
import dev.parapet.events.config.StreamsMembership;
import dev.parapet.events.config.TransactionRetry;
import dev.parapet.policy.content.ContentChecks;
import dev.parapet.policy.content.LayeredContentCheck;
import dev.parapet.events.ops.OpsServer;
import dev.parapet.events.ops.Readiness;
import dev.parapet.events.ops.ServiceMetrics;
import dev.parapet.events.ops.StreamStates;
import dev.parapet.policy.content.RulePack;
import dev.parapet.policy.ops.PolicyMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.parapet.policy.topology.PolicyComponents;
import dev.parapet.policy.topology.PolicyTopology;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the policy topology: checks the topics it needs, starts Kafka Streams with
 * exactly-once v2, and stops it. Poison records go to the DLQ (Kafka Streams' dead-letter queue,
 * with the error in headers) and the stage keeps running.
 */
public final class PolicyService implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(PolicyService.class);

    private final KafkaStreams streams;
    private final RulePack pack;
    private final PolicyMetrics metrics;
    private final StreamsMembership membership;
    private OpsServer ops;

    private PolicyService(KafkaStreams streams, RulePack pack, PolicyMetrics metrics, StreamsMembership membership) {
        this.streams = streams;
        this.pack = pack;
        this.metrics = metrics;
        this.membership = membership;
    }

    /** Starts the service and waits until it is running. */
    public static PolicyService start(PolicyConfig config, Clock clock, Duration awaitRunning) {
        Objects.requireNonNull(config, "config can't be null");
        checkTopics(config);
        LayeredContentCheck content = ContentChecks.layered(config.modelFile(), config.rulesFile());
        Optional<LayeredContentCheck> shadow = config.shadowModelFile().isPresent() || config.shadowRulesFile().isPresent()
                ? Optional.of(ContentChecks.layered(config.shadowModelFile().or(config::modelFile),
                        config.shadowRulesFile().or(config::rulesFile)))
                : Optional.empty();
        RulePack pack = content.rules().pack();
        warnOnPackMismatch("active", content);
        shadow.ifPresent(s -> warnOnPackMismatch("shadow", s));
        PrometheusMeterRegistry registry = ServiceMetrics.create();
        PolicyMetrics metrics = new PolicyMetrics(registry);
        metrics.bindModel(content);
        PolicyComponents components = new PolicyComponents(new TokenVerifier(config.verifier(), clock), content, clock, shadow, metrics);
        KafkaStreams streams = new KafkaStreams(PolicyTopology.build(config.policy(), components), streamsProperties(config));
        streams.setUncaughtExceptionHandler(e -> {
            LOGGER.atError().addKeyValue("error", e.toString()).log("stream thread failed, replacing it");
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        metrics.bindStreams(streams);
        PolicyService service = new PolicyService(streams, pack, metrics, config.membership());
        try {
            service.ops = OpsServer.start("policy-stream", config.ops(), registry,
                    new Readiness().with("stream", StreamStates.check("policy stream", () -> streams.state().name())));
            streams.start();
            service.awaitRunning(awaitRunning);
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
        LOGGER.atInfo().addKeyValue("application_id", config.applicationId()).addKeyValue("rule_pack", pack.version())
                .addKeyValue("rules", pack.rules().size()).addKeyValue("model_id", content.detector().manifest().id())
                .addKeyValue("model_version", content.detector().manifest().version())
                .addKeyValue("shadow", shadow.map(LayeredContentCheck::describe).orElse("none")).log("policy stage running");
        return service;
    }

    /** The combiner was fitted on one rule pack's scores; another pack still runs, but its scores mean something else. */
    private static void warnOnPackMismatch(String role, LayeredContentCheck check) {
        String fitted = check.detector().manifest().rulePack();
        String running = check.rules().pack().version();
        if (!fitted.equals(running)) {
            LOGGER.atWarn().addKeyValue("check", role).addKeyValue("model_version", check.detector().manifest().version())
                    .addKeyValue("fitted_rule_pack", fitted).addKeyValue("rule_pack", running)
                    .log("model combiner was fitted with another rule pack; retrain with 'parapet detector train --rules' before enforcing");
        }
    }

    /** The Kafka Streams properties the stage runs with (benchmarks build the same client around another topology). */
    public static Properties streamsProperties(PolicyConfig config) {
        Properties props = new Properties();
        props.putAll(config.kafka().clientProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, (int) config.commitInterval().toMillis());
        // The stream thread checks the commit timer only between polls: with Streams' 100 ms poll,
        // a decision taken when no further query arrived waited for the poll to time out before
        // its transaction could commit, whatever the commit interval. A short poll bounds that
        // wait; under load the poll returns at once anyway, and an idle poll costs a wake-up.
        props.put(StreamsConfig.POLL_MS_CONFIG, pollMillis(config.commitInterval()));
        TransactionRetry.applyTo(props);
        config.membership().applyTo(props);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, config.kafka().topics().dlq());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        return props;
    }

    /** How long a stream thread blocks in poll: half the commit interval, between 1 and 10 ms. */
    static long pollMillis(Duration commitInterval) {
        return Math.max(1L, Math.min(10L, commitInterval.toMillis() / 2));
    }

    /** Fails fast when a topic is missing, or when decisions cannot hold one audit chain per query partition. */
    static void checkTopics(PolicyConfig config) {
        var topics = config.kafka().topics();
        List<String> needed = List.of(topics.queries(), topics.queriesApproved(), topics.responses(), topics.decisions(),
                topics.revocations(), topics.dlq());
        try (Admin admin = Admin.create(config.kafka().clientProperties())) {
            Map<String, TopicDescription> found = admin.describeTopics(needed).allTopicNames().get(30, TimeUnit.SECONDS);
            int queries = found.get(topics.queries()).partitions().size();
            int decisions = found.get(topics.decisions()).partitions().size();
            if (decisions < queries) {
                throw new IllegalStateException(topics.decisions() + " has " + decisions + " partitions but " + topics.queries()
                        + " has " + queries + "; each query partition writes its own audit chain, so decisions needs at least as many");
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("required topics are missing (run 'parapet topics apply'): " + e.getCause().getMessage(), e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within 30 s at " + config.kafka().bootstrapServers(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topics", e);
        }
    }

    /** The port of {@code /metrics}, {@code /healthz} and {@code /readyz}. */
    public int opsPort() {
        return ops.port();
    }

    private void awaitRunning(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING
                    || System.nanoTime() > deadline) {
                throw new IllegalStateException("policy stage did not reach RUNNING (state " + streams.state() + ")");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting", e);
            }
        }
    }

    /** The Kafka Streams client, for tests that induce a state. */
    KafkaStreams streams() {
        return streams;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public RulePack rulePack() {
        return pack;
    }

    @Override
    public void close() {
        // a dynamic member leaves the group at once, so its partitions move now, not after the session
        // timeout; a static member keeps them for its own restart
        streams.close(CloseOptions.groupMembershipOperation(membership.leaveGroupOnClose()
                        ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP : CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        metrics.close();
        if (ops != null) {
            ops.close();
        }
    }
}
