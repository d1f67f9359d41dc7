package dev.parapet.bench;

import com.sun.management.ThreadMXBean;
import dev.parapet.auth.TokenVerifier;
import dev.parapet.events.config.EnvReader;
import dev.parapet.events.topic.TopicBootstrap;
import dev.parapet.events.topic.TopicCatalog;
import dev.parapet.infra.kafka.EmbeddedKafka;
import dev.parapet.infra.process.RunDirs;
import dev.parapet.infra.process.TempDirs;
import dev.parapet.policy.app.PolicyConfig;
import dev.parapet.policy.app.PolicyService;
import dev.parapet.policy.content.ContentCheck;
import dev.parapet.policy.content.ContentChecks;
import dev.parapet.policy.content.ContentVerdict;
import dev.parapet.policy.topology.PolicyComponents;
import dev.parapet.policy.topology.PolicyTopology;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * CPU and allocation of the policy stage's stream thread per decision, on a real broker, with the
 * content check excluded: the stage runs with a check that returns one precomputed verdict (the
 * shipped check's verdict on a benign 1 KiB prompt, so decisions keep their real shape). The same
 * run measures an identity exactly-once topology (the floor Kafka Streams itself costs per record)
 * and the stage with the shipped check, for scale. Usage:
 * {@code java -cp "bench/target/classes:bench/target/lib/*" dev.parapet.bench.PolicyDecisionCost [queries] [rounds]}
 * ({@code -Dcost.excludedOnly=true} runs only the stage without content, for a profiler).
 */
public final class PolicyDecisionCost {

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private PolicyDecisionCost() {
    }

    /** CPU and allocation of the stream threads of one run, per record. */
    record Cost(double cpuMicros, double allocatedBytes, double perSecond) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%7.1f µs CPU, %8.0f B allocated per record, %6.0f records/s", cpuMicros, allocatedBytes,
                    perSecond);
        }
    }

    public static void main(String[] args) throws Exception {
        int queries = args.length > 0 ? Integer.parseInt(args[0]) : 60_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        THREADS.setThreadCpuTimeEnabled(true);
        THREADS.setThreadAllocatedMemoryEnabled(true);
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            TopicCatalog topics = new TopicCatalog("cost.", 3, Optional.empty());
            try (Admin admin = kafka.admin()) {
                new TopicBootstrap(admin, Duration.ofSeconds(30)).apply(topics.specs());
                admin.createTopics(List.of(new NewTopic("cost.identity-out", 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            PolicyThroughputBench.produce(kafka, topics.queries(), queries, 1_000);
            System.out.printf(Locale.ROOT, "%d queries of 1 KiB from 1,000 users, all approved (rate limit off)%n", queries);
            boolean excludedOnly = Boolean.getBoolean("cost.excludedOnly"); // for a profiler: the stage without content alone
            for (int round = 1; round <= rounds; round++) {
                System.out.printf(Locale.ROOT, "round %d%n", round);
                if (!excludedOnly) {
                    System.out.printf(Locale.ROOT, "  identity EOS topology:            %s%n", identity(kafka, topics.queries(), queries));
                }
                System.out.printf(Locale.ROOT, "  policy stage, content excluded:   %s%n", policy(kafka, topics, queries, false));
                if (!excludedOnly) {
                    System.out.printf(Locale.ROOT, "  policy stage, shipped content:    %s%n", policy(kafka, topics, queries, true));
                }
            }
        }
    }

    private static Cost identity(EmbeddedKafka kafka, String input, int queries) throws Exception {
        String appId = "cost-identity-" + UUID.randomUUID();
        Path state = RunDirs.create("parapet-bench-state-");
        try {
            return run(kafka, PolicyThroughputBench.identityTopology(input, "cost.identity-out"),
                    PolicyThroughputBench.identityProperties(kafka, appId, state), appId, input, queries);
        } finally {
            TempDirs.deleteTree(state);
        }
    }

    private static Cost policy(EmbeddedKafka kafka, TopicCatalog topics, int queries, boolean content) throws Exception {
        Path state = RunDirs.create("parapet-bench-state-");
        String appId = "cost-policy-" + UUID.randomUUID();
        PolicyConfig config = PolicyConfig.from(EnvReader.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "SECRET_KEY", Workload.SECRET, "PARAPET_TOPIC_PREFIX", topics.prefix(), "PARAPET_STATE_DIR", state.toString(),
                "PARAPET_POLICY_APPLICATION_ID", appId, "RATE_LIMIT", "1000000")), Optional.empty());
        ContentCheck shipped = ContentChecks.layered(config.modelFile(), config.rulesFile());
        ContentVerdict benign = shipped.scan(Workload.prose(1024, 1));
        ContentCheck check = content ? shipped : text -> benign;
        PolicyComponents components = new PolicyComponents(new TokenVerifier(config.verifier(), Clock.systemUTC()), check,
                Clock.systemUTC());
        try {
            return run(kafka, PolicyTopology.build(config.policy(), components), PolicyService.streamsProperties(config), appId,
                    topics.queries(), queries);
        } finally {
            TempDirs.deleteTree(state);
        }
    }

    private static Cost run(EmbeddedKafka kafka, Topology topology, Properties props, String appId, String input, int queries)
            throws Exception {
        try (KafkaStreams streams = new KafkaStreams(topology, props)) {
            long started = System.nanoTime();
            streams.start();
            PolicyThroughputBench.awaitConsumed(kafka, appId, input, queries);
            double seconds = (System.nanoTime() - started) / 1e9;
            long cpu = 0;
            long allocated = 0;
            for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
                if (info != null && info.getThreadName().startsWith(appId) && info.getThreadName().contains("-StreamThread-")) {
                    cpu += THREADS.getThreadCpuTime(info.getThreadId());
                    allocated += THREADS.getThreadAllocatedBytes(info.getThreadId());
                }
            }
            return new Cost(cpu / 1e3 / queries, (double) allocated / queries, queries / seconds);
        }
    }
}
