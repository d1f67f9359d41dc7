package dev.parapet.bench;

import dev.parapet.events.ApprovedQuery;
import dev.parapet.events.SchemaVersion;
import dev.parapet.events.codec.EventCodec;
import dev.parapet.events.config.EnvReader;
import dev.parapet.events.topic.TopicBootstrap;
import dev.parapet.events.topic.TopicCatalog;
import dev.parapet.infra.kafka.EmbeddedKafka;
import dev.parapet.infra.kafka.InputProducers;
import dev.parapet.infra.llm.ScriptedOpenAiServer;
import dev.parapet.worker.app.WorkerConfig;
import dev.parapet.worker.app.WorkerService;
import dev.parapet.worker.delivery.CallOverhead;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Responses per second of one worker instance against a loopback OpenAI-compatible server that
 * answers after a fixed delay (the real langchain4j client, the real broker), at several
 * concurrencies, and the worker's own overhead per call. The ideal is concurrency / delay.
 * Usage: {@code java -cp "bench/target/classes:bench/target/lib/*" dev.parapet.bench.WorkerThroughputBench [delayMs] [queriesPerSlot]}
 */
public final class WorkerThroughputBench {

    private static final EventCodec<ApprovedQuery> APPROVED = EventCodec.of(ApprovedQuery.class);

    private WorkerThroughputBench() {
    }

    public static void main(String[] args) throws Exception {
        long delayMs = args.length > 0 ? Long.parseLong(args[0]) : 200;
        int perSlot = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        // BENCH_KAFKA=host:port uses a broker in its own JVM (bench.StandaloneKafka) instead of one in this JVM
        String external = System.getenv("BENCH_KAFKA");
        try (EmbeddedKafka embedded = external == null ? EmbeddedKafka.start() : null; ScriptedOpenAiServer model = new ScriptedOpenAiServer()) {
            String bootstrap = external != null ? external : embedded.bootstrapServers();
            model.defaultDelay(delayMs);
            model.forgetBodies();
            System.out.println("broker: " + (external != null ? "own JVM at " + external : "in this JVM"));
            for (int concurrency : List.of(32, 64)) {
                run(bootstrap, model, concurrency, concurrency * perSlot, delayMs);
            }
        }
    }

    private static void run(String bootstrap, ScriptedOpenAiServer model, int concurrency, int queries, long delayMs) throws Exception {
        TopicCatalog topics = new TopicCatalog("wbench" + concurrency + "-" + System.nanoTime() % 100_000 + ".", 12, Optional.empty());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            new TopicBootstrap(admin, Duration.ofSeconds(30)).apply(topics.specs());
        }
        produce(bootstrap, topics, queries, 1_000);
        Map<String, String> env = WorkerBenchEnv.of(bootstrap, topics, model, concurrency);
        long started = System.nanoTime();
        try (WorkerService service = WorkerService.start(WorkerConfig.from(EnvReader.of(env)), Clock.systemUTC())) {
            var worker = service.worker();
            long warm = 0;
            long warmAt = 0;
            while (worker.answered() < queries) {
                Thread.sleep(5);
                if (warmAt == 0 && worker.answered() >= concurrency * 5L) {
                    warm = worker.answered();
                    warmAt = System.nanoTime();
                    worker.overhead().reset();
                    worker.publishWait().reset();
                    worker.modelWait().reset();
                }
            }
            long done = System.nanoTime();
            double rate = (queries - warm) / ((done - warmAt) / 1e9);
            double ideal = concurrency * 1000.0 / delayMs;
            CallOverhead overhead = worker.overhead();
            System.out.printf(Locale.ROOT, "  overhead of which handing to the producer: p50 %.2f ms p99 %.2f ms; model call as the worker saw it: p50 %.1f ms p99 %.1f ms%n",
                    worker.publishWait().quantileNanos(0.50) / 1e6, worker.publishWait().quantileNanos(0.99) / 1e6,
                    worker.modelWait().quantileNanos(0.50) / 1e6, worker.modelWait().quantileNanos(0.99) / 1e6);
            System.out.printf(Locale.ROOT, "concurrency %d: %d responses in %.1f s (%.1f s incl. start-up); steady %.1f responses/s; ideal %.0f/s; "
                            + "ratio %.1f%%; overhead per call p50 %.2f ms p99 %.2f ms (%d samples); model saw at most %d in flight%n",
                    concurrency, queries, (done - warmAt) / 1e9, (done - started) / 1e9, rate, ideal, 100 * rate / ideal,
                    overhead.quantileNanos(0.50) / 1e6, overhead.quantileNanos(0.99) / 1e6, overhead.count(), model.maxInFlight());
        }
    }

    private static void produce(String bootstrap, TopicCatalog topics, int queries, int users) throws Exception {
        Map<String, Object> props = InputProducers.properties(Map.of("bootstrap.servers", bootstrap));
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        String text = "How do refunds work for annual plans? ".repeat(27);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < queries; i++) {
                String id = "q-" + UUID.randomUUID();
                String user = "user-" + (i % users);
                ApprovedQuery q = new ApprovedQuery(SchemaVersion.CURRENT, id, "d-" + id, Instant.now(), user, List.of("ai.playground.user"),
                        "0123456789abcdef0123456789abcdef", "fp", text, null, Map.of(), "10.0.0.1", 0.0, List.of());
                producer.send(new ProducerRecord<>(topics.queriesApproved(), user, APPROVED.encode(q)));
            }
            producer.flush();
        }
    }
}
