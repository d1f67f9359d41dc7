package dev.parapet.infra.kafka;

import dev.parapet.infra.process.FreePorts;
import dev.parapet.infra.process.RunDirs;
import dev.parapet.infra.process.TempDirs;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running inside this
 * JVM on free loopback ports. Internal topics ({@code __consumer_offsets},
 * {@code __transaction_state}) use replication factor 1 so consumer groups and exactly-once work
 * on one node. The log directory is a temp dir removed by {@link #close()}.
 *
 * <p>{@link Builder#withScram} switches the client listener to SASL_PLAINTEXT with SCRAM-SHA-512
 * and enables the {@code StandardAuthorizer}: the admin user is a super user, others need ACLs.
 *
 * <p>{@link #stopBroker()} and {@link #startBroker()} stop and restart the broker on the same ports
 * and data, for tests that inject a broker outage.
 */
public final class EmbeddedKafka implements KafkaCluster {

    private static final Logger LOGGER = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String SCRAM = "SCRAM-SHA-512";

    private final Optional<ScramUser> admin;
    private final List<ScramUser> users;
    private final Path logDir;
    private final int brokerPort;
    private final int controllerPort;
    private final Properties serverProperties;
    private KafkaRaftServer server;

    private EmbeddedKafka(Builder builder) {
        this.admin = Optional.ofNullable(builder.admin);
        this.users = List.copyOf(builder.users);
        this.logDir = RunDirs.create("parapet-kafka-");
        this.brokerPort = FreePorts.next();
        this.controllerPort = FreePorts.next();
        this.serverProperties = serverProperties();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a plain single-node broker. */
    public static EmbeddedKafka start() {
        return builder().start();
    }

    private EmbeddedKafka startFirstTime() {
        long started = System.nanoTime();
        try {
            format();
            startBroker();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOGGER.atInfo().addKeyValue("bootstrap", bootstrapServers())
                .addKeyValue("ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
                .log("embedded Kafka started");
        return this;
    }

    private Properties serverProperties() {
        String clientProtocol = admin.isPresent() ? "SASL_PLAINTEXT" : "PLAINTEXT";
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "CLIENT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "CLIENT://127.0.0.1:" + brokerPort);
        p.put("listener.security.protocol.map", "CLIENT:" + clientProtocol + ",CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "CLIENT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        admin.ifPresent(a -> {
            p.put("sasl.enabled.mechanisms", SCRAM);
            p.put("sasl.mechanism.inter.broker.protocol", SCRAM);
            p.put("listener.name.client.scram-sha-512.sasl.jaas.config", a.jaasConfig());
            p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            // the controller listener is loopback-only and unauthenticated (ANONYMOUS)
            p.put("super.users", "User:" + a.name() + ";User:ANONYMOUS");
            p.put("allow.everyone.if.no.acl.found", "false");
        });
        return p;
    }

    private void format() {
        List<String> scram = new ArrayList<>();
        admin.ifPresent(a -> scram.add(scramArgument(a)));
        users.forEach(u -> scram.add(scramArgument(u)));
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                .setNodeId(1)
                .setClusterId(Uuid.randomUuid().toString())
                .addDirectory(logDir.toString())
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(logDir.toString())
                .setUnstableFeatureVersionsEnabled(false)
                .setIgnoreFormatted(false);
        if (!scram.isEmpty()) {
            formatter.setScramArguments(scram);
        }
        try {
            formatter.run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka storage in " + logDir, e);
        }
    }

    private static String scramArgument(ScramUser user) {
        return SCRAM + "=[name=" + user.name() + ",password=" + user.password() + "]";
    }

    /** Starts (or restarts) the broker on the same ports and data. Blocks until it serves requests. */
    public synchronized void startBroker() {
        if (server != null) {
            return;
        }
        KafkaRaftServer raft = new KafkaRaftServer(new KafkaConfig(serverProperties, false), Time.SYSTEM);
        raft.startup();
        server = raft;
        awaitReady(Duration.ofSeconds(60));
    }

    /** Stops the broker but keeps its data and ports, so {@link #startBroker()} brings the same cluster back. */
    public synchronized void stopBroker() {
        if (server == null) {
            return;
        }
        KafkaRaftServer raft = server;
        server = null;
        raft.shutdown();
        raft.awaitShutdown();
    }

    public boolean isRunning() {
        return server != null;
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try (Admin client = admin()) {
                client.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                last = new IllegalStateException("broker not ready: " + e.getMessage(), e);
                sleep(100);
            }
        }
        throw Objects.requireNonNullElseGet(last, () -> new IllegalStateException("broker not ready in " + timeout));
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    @Override
    public Map<String, Object> clientProperties() {
        return admin.map(this::clientProperties).orElseGet(() -> Map.of("bootstrap.servers", bootstrapServers()));
    }

    /** Client properties that log in as {@code user} (SCRAM brokers only). */
    public Map<String, Object> clientProperties(ScramUser user) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrapServers());
        props.put("security.protocol", "SASL_PLAINTEXT");
        props.put("sasl.mechanism", SCRAM);
        props.put("sasl.jaas.config", user.jaasConfig());
        return props;
    }

    /** The directory holding the broker's logs and metadata. */
    public Path logDir() {
        return logDir;
    }

    /** Stops the broker and removes its data. */
    @Override
    public synchronized void close() {
        try {
            stopBroker();
        } finally {
            TempDirs.deleteTree(logDir);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        }
    }

    /** Options for an embedded broker. */
    public static final class Builder {

        private ScramUser admin;
        private final List<ScramUser> users = new ArrayList<>();

        private Builder() {
        }

        /**
         * SASL/SCRAM-SHA-512 on the client listener and the StandardAuthorizer; {@code admin} is the
         * super user, {@code others} need ACLs.
         */
        public Builder withScram(ScramUser admin, ScramUser... others) {
            this.admin = Objects.requireNonNull(admin, "admin can't be null");
            this.users.addAll(List.of(others));
            return this;
        }

        public EmbeddedKafka start() {
            return new EmbeddedKafka(this).startFirstTime();
        }
    }
}
