package dev.parapet.detector.it;

import static dev.parapet.detector.SampleDecisions.policy;
import static dev.parapet.detector.SampleDecisions.tokenFailure;
import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parapet.detector.app.DetectorConfig;
import dev.parapet.detector.app.DetectorService;
import dev.parapet.detector.index.ElasticsearchConnection;
import dev.parapet.events.Decision;
import dev.parapet.events.codec.EventSerdes;
import dev.parapet.events.codec.Json;
import dev.parapet.events.config.EnvReader;
import dev.parapet.events.topic.TopicBootstrap;
import dev.parapet.events.topic.TopicCatalog;
import dev.parapet.infra.elasticsearch.EmbeddedElasticsearch;
import dev.parapet.infra.kafka.InputProducers;
import dev.parapet.infra.junit.SharedElasticsearch;
import dev.parapet.infra.junit.SharedKafka;
import dev.parapet.infra.net.TcpRelay;
import dev.parapet.infra.ops.Scrape;
import dev.parapet.infra.kafka.KafkaCluster;
import dev.parapet.infra.kafka.TopicReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Detection, indexing and alerting on a real broker and a real Elasticsearch node. */
@ExtendWith({SharedKafka.class, SharedElasticsearch.class})
class AnomalyDetectorIT {

    @TempDir
    Path stateDir;

    @Test
    void theScenarioRaisesExactlyTheExpectedAnomaliesIndexesEverythingAndAlertsOnceTheWebhookIsBack(KafkaCluster kafka,
                                                                                                      EmbeddedElasticsearch es) throws Exception {
        // Given: the detector with a webhook that is down
        TopicCatalog topics = createTopics(kafka);
        String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        try (WebhookReceiver hook = new WebhookReceiver(false);
             DetectorService detector = DetectorService.start(config(kafka, es, topics, prefix, Map.of("PARAPET_ALERT_WEBHOOKS", hook.url())),
                     Clock.systemUTC(), Duration.ofMinutes(2));
             ElasticsearchConnection conn = new ElasticsearchConnection(es.url())) {

            // When: the demo's cast plays its decisions, plus one poison record
            List<Decision> decisions = scenario(Instant.now());
            produce(kafka, topics.decisions(), decisions);
            produceRaw(kafka, topics.decisions(), "x", "{ not json".getBytes(StandardCharsets.UTF_8));
            // a valid event whose source.ip the ip mapping refuses: Elasticsearch rejects it for good
            Decision unmappable = policy("benign-0", "APPROVED", "not-an-address", Instant.now(), List.of(), "jb0");
            produce(kafka, topics.decisions(), List.of(unmappable));

            // Then: exactly the expected anomalies, one per rule and entity
            List<ConsumerRecord<String, byte[]>> anomalies = TopicReader.await(kafka, topics.anomalies(), Duration.ofSeconds(60), r -> r.size() >= 7);
            Thread.sleep(2_000);
            anomalies = TopicReader.readAll(kafka, topics.anomalies());
            List<String> found = anomalies.stream().map(r -> json(r.value()))
                    .map(a -> a.path("rule").path("id").asText() + " " + a.path("parapet").path("entity_id").asText()).sorted().toList();
            assertThat(found).containsExactly(
                    "EXTRACTION_PROBING eve", "EXTRACTION_PROBING mallory", "INVALID_TOKEN_BURST 203.0.113.66",
                    "RATE_LIMIT_STORM frank", "REPEATED_BLOCKED frank", "REPEATED_BLOCKED mallory", "TOKEN_SHARING fp-jc");

            // and Elasticsearch holds every decision and anomaly, counts equal to the topics'
            ElasticsearchClient client = conn.client();
            await(Duration.ofSeconds(60), () -> count(client, prefix + "decisions") == decisions.size()
                    && count(client, prefix + "anomalies") == 7);
            assertThat(count(client, prefix + "decisions")).isEqualTo(decisions.size());
            assertThat(count(client, prefix + "anomalies")).isEqualTo(7);
            var mapping = client.indices().getMapping(m -> m.index(prefix + "decisions")).get(prefix + "decisions").mappings();
            assertThat(mapping.properties().get("source").object().properties().get("ip").isIp()).isTrue();
            assertThat(mapping.properties().get("@timestamp").isDate()).isTrue();
            var parapet = mapping.properties().get("parapet").object().properties();
            assertThat(parapet.get("detector").object().properties().get("score").isFloat()).isTrue();
            assertThat(parapet.get("shadow").object().properties().get("action").isKeyword()).isTrue();

            // and a SOC can aggregate content decisions by detector band and by what the shadow candidate would change
            var bands = client.search(q -> q.index(prefix + "decisions").size(0)
                    .aggregations("band", a -> a.terms(t -> t.field("parapet.detector.band")))
                    .aggregations("disagreements", a -> a.filter(f -> f.term(t -> t.field("parapet.shadow.agrees").value(false)))), Void.class);
            Map<String, Long> byBand = bands.aggregations().get("band").sterms().buckets().array().stream()
                    .collect(Collectors.toMap(b -> b.key().stringValue(), b -> b.docCount()));
            long expectedHigh = decisions.stream().filter(d -> d.parapet().detector() != null && d.parapet().detector().band().equals("high")).count();
            assertThat(byBand).containsKeys("high", "low").containsEntry("high", expectedHigh);
            long expectedDisagreements = decisions.stream().filter(d -> d.parapet().shadow() != null && !d.parapet().shadow().agrees()).count();
            assertThat(bands.aggregations().get("disagreements").filter().docCount()).isEqualTo(expectedDisagreements);

            // and the poison record went to the DLQ (from the detector and from the indexer), and the
            // document Elasticsearch refused went there too with the reason, nothing else did
            List<ConsumerRecord<String, byte[]>> dlq = TopicReader.await(kafka, topics.dlq(), Duration.ofSeconds(30), r -> r.size() >= 3);
            assertThat(dlq).hasSize(3);
            assertThat(dlq).filteredOn(r -> new String(r.value(), StandardCharsets.UTF_8).equals("{ not json")).hasSize(2);
            assertThat(dlq).filteredOn(r -> new String(r.value(), StandardCharsets.UTF_8).contains("not-an-address")).singleElement()
                    .satisfies(r -> {
                        assertThat(new String(r.headers().lastHeader("parapet.error.kind").value(), StandardCharsets.UTF_8))
                                .isEqualTo("rejected_by_elasticsearch");
                        assertThat(new String(r.headers().lastHeader("parapet.error.message").value(), StandardCharsets.UTF_8))
                                .contains("not-an-address");
                    });

            // When: the webhook comes back after refusing for a while
            await(Duration.ofSeconds(30), () -> hook.refused() >= 2);
            hook.up();

            // Then: it receives each anomaly exactly once
            await(Duration.ofSeconds(60), () -> hook.accepted().size() >= 7);
            Thread.sleep(1_500);
            Map<String, Long> delivered = hook.accepted().stream().map(b -> json(b.getBytes(StandardCharsets.UTF_8)).path("event").path("id").asText())
                    .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
            assertThat(delivered).hasSize(7).allSatisfy((id, n) -> assertThat(n).isOne());
            assertThat(delivered.keySet()).containsExactlyInAnyOrderElementsOf(
                    anomalies.stream().map(r -> json(r.value()).path("event").path("id").asText()).toList());

            // and the detector's own /metrics counted all of it, with no user or address in a label
            Scrape metrics = Scrape.of("http://127.0.0.1:" + detector.opsPort() + "/metrics");
            assertThat(metrics.value("parapet_detector_anomalies_total", Map.of("rule", "REPEATED_BLOCKED"))).isEqualTo(2.0);
            assertThat(metrics.value("parapet_detector_anomalies_total", Map.of("rule", "EXTRACTION_PROBING", "severity", "high")))
                    .isEqualTo(2.0);
            assertThat(metrics.value("parapet_detector_anomalies_total", Map.of("rule", "TOKEN_SHARING"))).isEqualTo(1.0);
            assertThat(metrics.sum("parapet_detector_anomalies_total", Map.of("rule", "CANARY_LEAK"))).contains(0.0);
            assertThat(metrics.value("parapet_detector_anomalies_total", Map.of())).isEqualTo(7.0);
            assertThat(metrics.value("parapet_indexer_documents_indexed_total", Map.of())).isEqualTo(decisions.size() + 7.0);
            assertThat(metrics.value("parapet_indexer_dead_lettered_total", Map.of())).isEqualTo(2.0);
            await(Duration.ofSeconds(20), () -> {
                try {
                    return Scrape.of("http://127.0.0.1:" + detector.opsPort() + "/metrics").value("parapet_indexer_lag_records", Map.of()) == 0;
                } catch (Exception e) {
                    return false;
                }
            });
            assertThat(Scrape.of("http://127.0.0.1:" + detector.opsPort() + "/metrics").value("parapet_indexer_lag_records", Map.of()))
                    .as("everything indexed and committed").isZero();
            assertThat(metrics.value("parapet_webhook_delivered_total", Map.of())).isEqualTo(7.0);
            assertThat(metrics.value("parapet_webhook_failures_total", Map.of())).isGreaterThanOrEqualTo(2.0);
            assertThat(metrics.value("parapet_detector_stream_state", Map.of("state", "RUNNING"))).isEqualTo(1.0);
            assertThat(metrics.sum("kafka_stream_thread_commit_latency_avg", Map.of())).isPresent();
            assertThat(metrics.samples()).allSatisfy(sample -> assertThat(sample.labels().values())
                    .noneMatch(v -> v.equals("mallory") || v.equals("eve") || v.equals("203.0.113.66") || v.equals("fp-jc")));
        }
    }

    @Test
    void readinessFailsWhileElasticsearchIsUnreachableAndRecovers(KafkaCluster kafka, EmbeddedElasticsearch es) throws Exception {
        // Given: the detector reaches Elasticsearch through a relay that can be cut
        TopicCatalog topics = createTopics(kafka);
        String prefix = "ready-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        URI node = URI.create(es.url());
        try (TcpRelay relay = TcpRelay.to(node.getHost(), node.getPort());
             DetectorService detector = DetectorService.start(config(kafka, es, topics, prefix,
                     Map.of("ELASTICSEARCH_URL", "http://127.0.0.1:" + relay.port())), Clock.systemUTC(), Duration.ofMinutes(2))) {
            String readyz = "http://127.0.0.1:" + detector.opsPort() + "/readyz";
            HttpResponse<String> up = get(readyz);
            assertThat(up.statusCode()).as(up.body()).isEqualTo(200);

            // When: the network to Elasticsearch goes away
            relay.cut();

            // Then: not ready, naming why (the probe refreshes at most every 2 s)
            await(Duration.ofSeconds(20), () -> get(readyz).statusCode() == 503);
            HttpResponse<String> down = get(readyz);
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("Elasticsearch unreachable").contains("\"stream\":\"ok\"");

            // and decisions that arrive meanwhile wait, counted by the lag gauge
            String metrics = "http://127.0.0.1:" + detector.opsPort() + "/metrics";
            produce(kafka, topics.decisions(), benign(Instant.now(), 25));
            await(Duration.ofSeconds(40), () -> lag(metrics) >= 25);
            assertThat(lag(metrics)).as("records waiting while Elasticsearch is away").isGreaterThanOrEqualTo(25.0);

            // When / Then: back, ready, and the backlog drains
            relay.restore();
            await(Duration.ofSeconds(20), () -> get(readyz).statusCode() == 200);
            assertThat(get(readyz).statusCode()).isEqualTo(200);
            await(Duration.ofSeconds(90), () -> lag(metrics) == 0);
            assertThat(lag(metrics)).isZero();
        }
    }

    private static double lag(String metricsUrl) {
        try {
            return Scrape.of(metricsUrl).sum("parapet_indexer_lag_records", Map.of()).orElse(Double.NaN);
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    private static HttpResponse<String> get(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void elasticsearchDownForThirtySecondsLosesAndDuplicatesNothing(KafkaCluster kafka, EmbeddedElasticsearch es) throws Exception {
        // the node goes away mid-stream for 30 s while decisions keep coming
        indexesEveryDecisionOnceAcross(kafka, es, 1_000, new Fault(es::stopNode, es::startNode, Duration.ofSeconds(30)));
    }

    @Test
    void aFrozenNodeDelaysIndexingButLosesAndDuplicatesNothing(KafkaCluster kafka, EmbeddedElasticsearch es) throws Exception {
        // the node stops answering (connections stay open) for longer than the client's read timeout
        indexesEveryDecisionOnceAcross(kafka, es, 500, new Fault(es::freeze, es::thaw, Duration.ofSeconds(40)));
    }

    /** An Elasticsearch fault: how it starts, how it ends, and how long it lasts. */
    private record Fault(Runnable begin, Runnable end, Duration length) {
    }

    /**
     * {@code batch} decisions, then the fault while {@code batch} more arrive, then recovery: every
     * decision is indexed exactly once, retries were counted, and nothing went to the DLQ.
     */
    private void indexesEveryDecisionOnceAcross(KafkaCluster kafka, EmbeddedElasticsearch es, int batch, Fault fault) throws Exception {
        // Given
        TopicCatalog topics = createTopics(kafka);
        String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        try (DetectorService detector = DetectorService.start(config(kafka, es, topics, prefix, Map.of()), Clock.systemUTC(), Duration.ofMinutes(2));
             ElasticsearchConnection conn = new ElasticsearchConnection(es.url())) {
            produce(kafka, topics.decisions(), benign(Instant.now(), batch));
            await(Duration.ofSeconds(60), () -> count(conn.client(), prefix + "decisions") >= batch / 5);

            // When
            fault.begin().run();
            try {
                produce(kafka, topics.decisions(), benign(Instant.now(), batch));
                Thread.sleep(fault.length().toMillis());
                assertThat(detector.indexer().orElseThrow().isAlive()).isTrue();
            } finally {
                fault.end().run();
            }

            // Then
            int total = batch * 2;
            await(Duration.ofSeconds(120), () -> count(conn.client(), prefix + "decisions") >= total);
            Thread.sleep(2_000);
            assertThat(count(conn.client(), prefix + "decisions")).isEqualTo(total);
            assertThat(TopicReader.readAll(kafka, topics.decisions())).hasSize(total);
            assertThat(detector.indexer().orElseThrow().retries()).isPositive();
            assertThat(TopicReader.readAll(kafka, topics.dlq())).isEmpty();
        } finally {
            fault.end().run();
        }
    }

    /** The demo's cast, as decisions. */
    static List<Decision> scenario(Instant t) {
        List<Decision> out = new ArrayList<>();
        for (int u = 0; u < 5; u++) {
            for (int i = 0; i < 10; i++) {
                out.add(policy("benign-" + u, "APPROVED", "10.1.0." + u, t.plusMillis(i), List.of(), "jb" + u));
            }
        }
        for (int i = 0; i < 6; i++) {
            out.add(policy("mallory", "PROMPT_INJECTION", "10.2.0.1", t.plusMillis(i), List.of("PI-001"), "jm"));
        }
        for (int i = 0; i < 3; i++) {
            out.add(policy("eve", "FLAGGED", "10.2.0.2", t.plusMillis(i), List.of("SPE-002"), "je"));
        }
        for (int i = 0; i < 12; i++) {
            out.add(tokenFailure("forger", "TOKEN_SIGNATURE_INVALID", "203.0.113.66", t.plusMillis(i)));
        }
        for (int i = 0; i < 3; i++) {
            out.add(policy("carol", "APPROVED", "198.51.100." + (i + 1), t.plusMillis(i), List.of(), "jc"));
        }
        for (int i = 0; i < 60; i++) {
            out.add(policy("frank", "APPROVED", "10.3.0.1", t.plusMillis(i), List.of(), "jf"));
        }
        for (int i = 0; i < 25; i++) {
            out.add(policy("frank", "RATE_LIMITED", "10.3.0.1", t.plusMillis(60 + i), List.of(), "jf"));
        }
        return out;
    }

    static List<Decision> benign(Instant t, int n) {
        List<Decision> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(policy("user-" + (i % 50), "APPROVED", "10.9.0." + (i % 50), t.plusMillis(i), List.of(), "j" + (i % 50)));
        }
        return out;
    }

    private DetectorConfig config(KafkaCluster kafka, EmbeddedElasticsearch es, TopicCatalog topics, String indexPrefix, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("KAFKA_BOOTSTRAP_SERVERS", String.valueOf(kafka.clientProperties().get("bootstrap.servers")));
        env.put("PARAPET_OPS_HOST", "127.0.0.1");
        env.put("PARAPET_OPS_PORT", "0");
        env.put("PARAPET_TOPIC_PREFIX", topics.prefix());
        env.putIfAbsent("ELASTICSEARCH_URL", es.url());
        env.put("PARAPET_ES_INDEX_PREFIX", indexPrefix);
        env.put("PARAPET_STATE_DIR", stateDir.toString());
        env.put("PARAPET_DETECTOR_APPLICATION_ID", topics.prefix() + "detector");
        env.put("PARAPET_INDEXER_GROUP", topics.prefix() + "indexer");
        env.put("PARAPET_ALERT_GROUP", topics.prefix() + "alerts");
        return DetectorConfig.from(EnvReader.of(env));
    }

    static TopicCatalog createTopics(KafkaCluster kafka) throws Exception {
        TopicCatalog topics = new TopicCatalog("det-" + UUID.randomUUID().toString().substring(0, 8) + ".", 3, Optional.of((short) 1));
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            new TopicBootstrap(admin, Duration.ofSeconds(30)).apply(topics.specs());
        }
        return topics;
    }

    static void produce(KafkaCluster kafka, String topic, List<Decision> decisions) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
            for (Decision d : decisions) {
                String key = d.user() != null ? d.user().id() : d.source().ip();
                sent.add(producer.send(new ProducerRecord<>(topic, key, EventSerdes.decision().serializer().serialize(topic, d))));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
    }

    static void produceRaw(KafkaCluster kafka, String topic, String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(60, TimeUnit.SECONDS);
        }
    }

    static KafkaProducer<String, byte[]> producer(KafkaCluster kafka) {
        return new KafkaProducer<>(InputProducers.properties(kafka.clientProperties()), new StringSerializer(), new ByteArraySerializer());
    }

    static long count(ElasticsearchClient client, String index) {
        try {
            client.indices().refresh(r -> r.index(index));
            return client.count(c -> c.index(index)).count();
        } catch (Exception e) {
            return -1;
        }
    }

    static void await(Duration timeout, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
    }

    static JsonNode json(byte[] bytes) {
        try {
            return Json.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
