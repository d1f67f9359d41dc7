package dev.parapet.bench;

import dev.parapet.events.ApprovedQuery;
import dev.parapet.events.QuerySubmitted;
import dev.parapet.events.SchemaVersion;
import dev.parapet.events.codec.EventCodec;
import dev.parapet.events.codec.EventSerdes;
import dev.parapet.events.topic.TopicBootstrap;
import dev.parapet.events.topic.TopicCatalog;
import dev.parapet.infra.kafka.EmbeddedKafka;
import dev.parapet.infra.kafka.InputProducers;
import dev.parapet.infra.llm.ScriptedOpenAiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Throughput of the policy stage and of the worker with 1, 2 and 3 instances, each in its own
 * JVM as in production, on one broker and six partitions. Each run starts the instances, warms
 * them with a first batch (so every instance is running and assigned), then publishes the measured
 * batch at once and times it until the last decision (policy) or response (worker) is committed.
 * The worker calls a loopback OpenAI-compatible model that answers after a fixed delay.
 *
 * <pre>java -cp "bench/target/classes:bench/target/lib/*" dev.parapet.bench.ScaleOutBench [policy-queries=20000]
 *      [worker-queries=1200] [model-delay-ms=200] [worker-concurrency=8]</pre>
 */
public final class ScaleOutBench {

    private static final EventCodec<ApprovedQuery> APPROVED = EventCodec.of(ApprovedQuery.class);
    private static final int WARM_UP = 600;

    private ScaleOutBench() {
    }

    public static void main(String[] args) throws Exception {
        int policyQueries = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int workerQueries = args.length > 1 ? Integer.parseInt(args[1]) : 1_200;
        long delay = args.length > 2 ? Long.parseLong(args[2]) : 200;
        int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); ScriptedOpenAiServer model = new ScriptedOpenAiServer()) {
            model.defaultDelay(delay);
            model.forgetBodies();
            System.out.println("| stage | instances | queries | seconds | per second | ratio to 1 instance |");
            System.out.println("|---|---|---|---|---|---|");
            double policyOne = 0;
            for (int n = 1; n <= 3; n++) {
                double rate = policy(kafka.bootstrapServers(), n, policyQueries);
                policyOne = n == 1 ? rate : policyOne;
                System.out.printf(Locale.ROOT, "| policy-stream | %d | %d | %.1f | %.0f | %.2f |%n", n, policyQueries, policyQueries / rate, rate,
                        rate / policyOne);
            }
            double workerOne = 0;
            for (int n = 1; n <= 3; n++) {
                double rate = worker(kafka.bootstrapServers(), model, n, workerQueries, concurrency);
                workerOne = n == 1 ? rate : workerOne;
                System.out.printf(Locale.ROOT, "| llm-worker (%d ms model, %d calls each; ideal %.0f/s) | %d | %d | %.1f | %.0f | %.2f |%n",
                        delay, concurrency, n * concurrency * 1000.0 / delay, n, workerQueries, workerQueries / rate, rate, rate / workerOne);
            }
        }
        System.exit(0);
    }

    private static double policy(String bootstrap, int instances, int queries) throws Exception {
        TopicCatalog topics = topics(bootstrap, "spol" + instances);
        Map<String, String> env = baseEnv(bootstrap, topics);
        env.put("SECRET_KEY", Workload.SECRET);
        env.put("RATE_LIMIT", "1000000");
        env.put("PARAPET_POLICY_APPLICATION_ID", topics.prefix() + "policy");
        List<Process> children = new ArrayList<>();
        try {
            for (int i = 0; i < instances; i++) {
                Map<String, String> own = new HashMap<>(env);
                own.put("PARAPET_STATE_DIR", Files.createTempDirectory("scale-policy-").toString());
                children.add(start("dev.parapet.policy.app.PolicyStreamMain", own));
            }
            List<String> tokens = new ArrayList<>();
            for (int u = 0; u < 1_000; u++) {
                tokens.add(Workload.token("user-" + u, Instant.now()));
            }
            publishQueries(bootstrap, topics, tokens, WARM_UP);
            awaitCount(bootstrap, topics.decisions(), WARM_UP, Duration.ofMinutes(3));
            long started = System.nanoTime();
            publishQueries(bootstrap, topics, tokens, queries);
            awaitCount(bootstrap, topics.decisions(), WARM_UP + queries, Duration.ofMinutes(10));
            return queries / ((System.nanoTime() - started) / 1e9);
        } finally {
            stop(children);
        }
    }

    private static double worker(String bootstrap, ScriptedOpenAiServer model, int instances, int queries, int concurrency) throws Exception {
        TopicCatalog topics = topics(bootstrap, "swrk" + instances);
        Map<String, String> env = WorkerBenchEnv.of(bootstrap, topics, model, concurrency);
        List<Process> children = new ArrayList<>();
        try {
            for (int i = 0; i < instances; i++) {
                children.add(start("dev.parapet.worker.app.WorkerMain", env));
            }
            int warm = instances * concurrency * 6;
            publishApproved(bootstrap, topics, warm);
            awaitCount(bootstrap, topics.responses(), warm, Duration.ofMinutes(3));
            long started = System.nanoTime();
            publishApproved(bootstrap, topics, queries);
            awaitCount(bootstrap, topics.responses(), warm + queries, Duration.ofMinutes(10));
            return queries / ((System.nanoTime() - started) / 1e9);
        } finally {
            stop(children);
        }
    }

    private static TopicCatalog topics(String bootstrap, String name) {
        TopicCatalog topics = new TopicCatalog(name + "-" + System.nanoTime() % 100_000 + ".", 6, Optional.empty());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            new TopicBootstrap(admin, Duration.ofSeconds(30)).apply(topics.specs());
        }
        return topics;
    }

    private static Map<String, String> baseEnv(String bootstrap, TopicCatalog topics) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("PARAPET_OPS_HOST", "127.0.0.1");
        env.put("PARAPET_OPS_PORT", "0");
        env.put("PARAPET_TOPIC_PREFIX", topics.prefix());
        return env;
    }

    private static Process start(String main, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-cp", System.getProperty("java.class.path"), main)
                .redirectErrorStream(true)
                .redirectOutput(Files.createTempFile("scale-child-", ".log").toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    private static void stop(List<Process> children) throws InterruptedException {
        children.forEach(Process::destroy);
        for (Process p : children) {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Map<String, Object> props = InputProducers.properties(Map.of("bootstrap.servers", bootstrap));
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private static void publishQueries(String bootstrap, TopicCatalog topics, List<String> tokens, int count) {
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            for (int i = 0; i < count; i++) {
                int u = i % tokens.size();
                String text = i % 10 == 0 ? Workload.attack(1_024) : Workload.prose(1_024, i);
                QuerySubmitted q = new QuerySubmitted(1, UUID.randomUUID().toString(), Instant.now(), tokens.get(u), "user-" + u, text,
                        null, Map.of(), "10.0." + (u / 200) + "." + (u % 200), "bench", null, null);
                producer.send(new ProducerRecord<>(topics.queries(), q.claimedSubject(), EventSerdes.querySubmitted().serializer().serialize("", q)));
            }
            producer.flush();
        }
    }

    private static void publishApproved(String bootstrap, TopicCatalog topics, int count) {
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            for (int i = 0; i < count; i++) {
                String id = "q-" + UUID.randomUUID();
                String user = "user-" + (i % 600);
                ApprovedQuery q = new ApprovedQuery(SchemaVersion.CURRENT, id, "d-" + id, Instant.now(), user, List.of("ai.playground.user"),
                        "0123456789abcdef0123456789abcdef", "fp", "How do refunds work for annual plans?", null, Map.of(), "10.0.0.1", 0.0,
                        List.of());
                producer.send(new ProducerRecord<>(topics.queriesApproved(), user, APPROVED.encode(q)));
            }
            producer.flush();
        }
    }

    /** Waits until a read_committed reader has seen {@code target} records on {@code topic}. */
    private static void awaitCount(String bootstrap, String topic, int target, Duration timeout) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            int seen = 0;
            while (seen < target) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + seen + " of " + target + " records on " + topic + " within " + timeout);
                }
                seen += consumer.poll(Duration.ofMillis(100)).count();
            }
        }
    }
}
