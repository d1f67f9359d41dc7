package dev.parapet.bench;

import dev.parapet.events.QuerySubmitted;
import dev.parapet.events.codec.EventSerdes;
import dev.parapet.events.config.EnvReader;
import dev.parapet.events.topic.TopicBootstrap;
import dev.parapet.events.topic.TopicCatalog;
import dev.parapet.infra.kafka.EmbeddedKafka;
import dev.parapet.infra.process.RunDirs;
import dev.parapet.infra.process.TempDirs;
import dev.parapet.policy.app.PolicyConfig;
import dev.parapet.policy.app.PolicyService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Decisions per second of the policy stage against an identity Kafka Streams topology (same
 * exactly-once v2 settings, same broker, same input, same run). Usage:
 * {@code java -cp "bench/target/classes:bench/target/lib/*" dev.parapet.bench.PolicyThroughputBench [queries] [users]}
 */
public final class PolicyThroughputBench {

    private PolicyThroughputBench() {
    }

    public static void main(String[] args) throws Exception {
        int queries = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int users = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            TopicCatalog topics = new TopicCatalog("bench.", 3, Optional.empty());
            try (Admin admin = kafka.admin()) {
                new TopicBootstrap(admin, Duration.ofSeconds(30)).apply(topics.specs());
                admin.createTopics(List.of(new NewTopic("bench.identity-out", 3, (short) 1), new NewTopic("bench.identity-out-2", 3, (short) 1)))
                        .all().get(30, TimeUnit.SECONDS);
            }
            long producing = System.nanoTime();
            produce(kafka, topics.queries(), queries, users);
            System.out.printf(Locale.ROOT, "produced %d queries of 1 KiB from %d users in %.1f s%n", queries, users,
                    (System.nanoTime() - producing) / 1e9);

            if (Boolean.getBoolean("bench.policyOnly")) {
                // experiments: the policy stage alone, no ceiling
                System.out.printf(Locale.ROOT, "policy stage:          %.0f decisions/s%n", runPolicy(kafka, topics, queries));
                System.out.printf(Locale.ROOT, "policy stage again:    %.0f decisions/s%n", runPolicy(kafka, topics, queries));
                return;
            }
            // alternated, each twice: the first of each runs on a cold JIT (the broker's and the
            // clients' code is shared, the topology's own is not); the better of each pair counts
            double identity = runIdentity(kafka, topics.queries(), queries, false);
            double policy = runPolicy(kafka, topics, queries);
            double identityAgain = runIdentity(kafka, topics.queries(), queries, false);
            double policyAgain = runPolicy(kafka, topics, queries);
            double ceiling = Math.max(identity, identityAgain);
            double best = Math.max(policy, policyAgain);
            System.out.printf(Locale.ROOT, "identity EOS topology: %.0f and %.0f records/s%n", identity, identityAgain);
            System.out.printf(Locale.ROOT, "policy stage:          %.0f and %.0f decisions/s%n", policy, policyAgain);
            System.out.printf(Locale.ROOT, "ratio, better policy run to better identity run: %.1f%%%n", 100 * best / ceiling);
            if (Boolean.getBoolean("bench.fanout")) {
                // what a stage that only writes what the policy stage writes (two records per query) could reach
                double fanout = runIdentity(kafka, topics.queries(), queries, true);
                System.out.printf(Locale.ROOT, "fan-out identity (each record to two topics, no work): %.0f records/s (%.1f%% of identity)%n",
                        fanout, 100 * fanout / ceiling);
            }
        }
    }

    static void produce(EmbeddedKafka kafka, String topic, int queries, int users) {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        Instant now = Instant.now();
        String[] tokens = new String[users];
        for (int u = 0; u < users; u++) {
            tokens[u] = Workload.token("user-" + u, now);
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < queries; i++) {
                int u = i % users;
                QuerySubmitted q = new QuerySubmitted(1, UUID.randomUUID().toString(), now, tokens[u], "user-" + u,
                        Workload.prose(1024, i), null, Map.of(), "10.1." + (u / 250) + "." + (u % 250), "bench", null, null);
                producer.send(new ProducerRecord<>(topic, "user-" + u, EventSerdes.querySubmitted().serializer().serialize(topic, q)));
            }
            producer.flush();
        }
    }

    /** An exactly-once v2 topology that copies {@code input}'s bytes to each of {@code outputs} and does nothing else. */
    static org.apache.kafka.streams.Topology identityTopology(String input, String... outputs) {
        StreamsBuilder builder = new StreamsBuilder();
        var stream = builder.stream(input, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()));
        for (String output : outputs) {
            stream.to(output, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        }
        return builder.build();
    }

    /** Streams properties for an identity run: exactly-once v2, its own application id and state directory. */
    static Properties identityProperties(EmbeddedKafka kafka, String appId, Path state) {
        Properties props = new Properties();
        props.putAll(kafka.clientProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        return props;
    }

    private static double runIdentity(EmbeddedKafka kafka, String input, int queries, boolean fanOut) throws Exception {
        var topology = fanOut ? identityTopology(input, "bench.identity-out", "bench.identity-out-2")
                : identityTopology(input, "bench.identity-out");
        String appId = "bench-identity-" + UUID.randomUUID();
        Path state = RunDirs.create("parapet-bench-state-");
        Properties props = identityProperties(kafka, appId, state);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.getInteger("bench.threads", 1));
        if (System.getProperty("bench.commit.ms") != null) {
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Integer.getInteger("bench.commit.ms"));
        }
        try (KafkaStreams streams = new KafkaStreams(topology, props)) {
            long started = System.nanoTime();
            streams.start();
            awaitConsumed(kafka, appId, input, queries);
            return queries / ((System.nanoTime() - started) / 1e9);
        } finally {
            TempDirs.deleteTree(state);
        }
    }

    private static double runPolicy(EmbeddedKafka kafka, TopicCatalog topics, int queries) throws Exception {
        Path state = RunDirs.create("parapet-bench-state-");
        String appId = "bench-policy-" + UUID.randomUUID();
        Map<String, String> env = new HashMap<>(Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "SECRET_KEY", Workload.SECRET,
                "PARAPET_TOPIC_PREFIX", topics.prefix(), "PARAPET_STATE_DIR", state.toString(),
                "PARAPET_POLICY_APPLICATION_ID", appId, "RATE_LIMIT", "1000000"));
        env.put("PARAPET_STREAM_THREADS", String.valueOf(Integer.getInteger("bench.threads", 1)));
        env.put("PARAPET_OPS_HOST", "127.0.0.1");
        env.put("PARAPET_OPS_PORT", "0");
        if (System.getProperty("bench.commit.ms") != null) {
            env.put("PARAPET_COMMIT_INTERVAL", System.getProperty("bench.commit.ms") + "ms");
        }
        // -Dbench.PARAPET_X=value overrides a policy setting, for experiments
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("bench."))
                .forEach(k -> env.put(k.substring("bench.".length()), System.getProperty(k)));
        PolicyConfig config = PolicyConfig.from(EnvReader.of(env), Optional.empty());
        long started = System.nanoTime();
        try (PolicyService service = PolicyService.start(config, Clock.systemUTC(), Duration.ofMinutes(2))) {
            awaitConsumed(kafka, appId, topics.queries(), queries);
            return queries / ((System.nanoTime() - started) / 1e9);
        } finally {
            TempDirs.deleteTree(state);
        }
    }

    static void awaitConsumed(EmbeddedKafka kafka, String group, String topic, int expected) throws Exception {
        try (Admin admin = kafka.admin()) {
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                long consumed = offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                        .mapToLong(e -> e.getValue().offset()).sum();
                if (consumed >= expected) {
                    return;
                }
                Thread.sleep(100);
            }
        }
    }
}
