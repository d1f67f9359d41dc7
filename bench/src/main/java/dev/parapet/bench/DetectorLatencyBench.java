package dev.parapet.bench;

import co.elastic.clients.elasticsearch.core.SearchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parapet.detector.app.DetectorConfig;
import dev.parapet.detector.app.DetectorService;
import dev.parapet.detector.index.ElasticsearchConnection;
import dev.parapet.events.config.EnvReader;
import dev.parapet.events.topic.TopicBootstrap;
import dev.parapet.events.topic.TopicCatalog;
import dev.parapet.infra.elasticsearch.EmbeddedElasticsearch;
import dev.parapet.infra.kafka.EmbeddedKafka;
import dev.parapet.infra.process.RunDirs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Detection latency on the local stack: from the decision that crosses a threshold being
 * produced to its anomaly being searchable in Elasticsearch. Each of N users gets four blocked
 * queries first (ROLE_MISSING, which counts toward REPEATED_BLOCKED only); then, at a steady rate, each user's fifth (the REPEATED_BLOCKED trigger).
 * A poller searches the anomalies index every 20 ms and notes when each anomaly first shows.
 * Usage: {@code java -cp "bench/target/classes:bench/target/lib/*" dev.parapet.bench.DetectorLatencyBench [triggers] [perSecond]}
 */
public final class DetectorLatencyBench {

    private DetectorLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        int triggers = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int perSecond = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); EmbeddedElasticsearch es = EmbeddedElasticsearch.builder().heap("512m").quickStart(false).start()) {
            TopicCatalog topics = new TopicCatalog("lbench.", 3, Optional.empty());
            try (Admin admin = kafka.admin()) {
                new TopicBootstrap(admin, Duration.ofSeconds(30)).apply(topics.specs());
            }
            Map<String, String> env = new HashMap<>();
            env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            env.put("PARAPET_OPS_HOST", "127.0.0.1");
            env.put("PARAPET_OPS_PORT", "0");
            env.put("PARAPET_TOPIC_PREFIX", topics.prefix());
            env.put("ELASTICSEARCH_URL", es.url());
            env.put("PARAPET_ES_INDEX_PREFIX", "lbench-");
            env.put("PARAPET_STATE_DIR", RunDirs.create("parapet-bench-state-").toString());
            // the indexer's linger and the detector's commit interval, as set for this run (the defaults otherwise)
            for (String name : new String[] {"PARAPET_INDEXER_LINGER", "PARAPET_DETECTOR_COMMIT_INTERVAL"}) {
                Optional.ofNullable(System.getenv(name)).ifPresent(v -> env.put(name, v));
            }
            try (DetectorService detector = DetectorService.start(DetectorConfig.from(EnvReader.of(env)), Clock.systemUTC(), Duration.ofMinutes(2));
                 ElasticsearchConnection conn = new ElasticsearchConnection(es.url());
                 KafkaProducer<String, byte[]> producer = BenchDecisions.producer(kafka)) {
                Instant base = Instant.now();
                for (int u = 0; u < triggers; u++) {
                    for (int i = 0; i < 4; i++) {
                        String user = "user-" + u;
                        producer.send(new ProducerRecord<>(topics.decisions(), user,
                                BenchDecisions.policy(user, "ROLE_MISSING", "10.0.0.1", base.plusMillis(i), 400)));
                    }
                }
                producer.flush();
                Thread.sleep(5_000);

                Map<String, Long> sentAt = new ConcurrentHashMap<>();
                Map<String, Long> seenAt = new ConcurrentHashMap<>();
                Thread poller = new Thread(() -> poll(conn, sentAt, seenAt, triggers), "poller");
                poller.start();
                long interval = 1_000_000_000L / perSecond;
                long next = System.nanoTime();
                for (int u = 0; u < triggers; u++) {
                    while (System.nanoTime() < next) {
                        Thread.onSpinWait();
                    }
                    String user = "user-" + u;
                    byte[] trigger = BenchDecisions.policy(user, "ROLE_MISSING", "10.0.0.1", Instant.now(), 400);
                    sentAt.put(user, System.nanoTime());
                    producer.send(new ProducerRecord<>(topics.decisions(), user, trigger));
                    next += interval;
                }
                producer.flush();
                poller.join(60_000);
                long[] latencies = seenAt.entrySet().stream().mapToLong(e -> e.getValue() - sentAt.get(e.getKey())).sorted().toArray();
                System.out.printf(Locale.ROOT, "%d triggers at %d/s: %d anomalies searchable; latency p50 %.0f ms, p95 %.0f ms, max %.0f ms%n",
                        triggers, perSecond, latencies.length, q(latencies, 0.50), q(latencies, 0.95), q(latencies, 1.0));
            }
        }
    }

    private static void poll(ElasticsearchConnection conn, Map<String, Long> sentAt, Map<String, Long> seenAt, int expected) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (seenAt.size() < expected && System.nanoTime() < deadline) {
            try {
                SearchResponse<JsonNode> found = conn.client().search(s -> s.index("lbench-anomalies").size(10_000)
                        .query(qq -> qq.term(t -> t.field("rule.id").value("REPEATED_BLOCKED")))
                        .source(src -> src.filter(f -> f.includes("parapet.entity_id"))), JsonNode.class);
                long now = System.nanoTime();
                found.hits().hits().forEach(h -> {
                    String user = h.source().path("parapet").path("entity_id").asText();
                    if (sentAt.containsKey(user)) {
                        seenAt.putIfAbsent(user, now);
                    }
                });
                Thread.sleep(20);
            } catch (Exception e) {
                // index not there yet
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private static double q(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
