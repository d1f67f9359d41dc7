package dev.parapet.worker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parapet.events.ApprovedQuery;
import dev.parapet.events.SchemaVersion;
import dev.parapet.events.codec.EventCodec;
import dev.parapet.events.codec.Json;
import dev.parapet.events.config.EnvReader;
import dev.parapet.events.topic.TopicBootstrap;
import dev.parapet.events.topic.TopicCatalog;
import dev.parapet.infra.junit.SharedKafka;
import dev.parapet.infra.kafka.InputProducers;
import dev.parapet.infra.kafka.KafkaCluster;
import dev.parapet.infra.kafka.TopicReader;
import dev.parapet.infra.llm.ScriptedOpenAiServer;
import dev.parapet.infra.ops.Scrape;
import dev.parapet.worker.app.WorkerConfig;
import dev.parapet.worker.app.WorkerService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worker on a real broker, calling the real langchain4j OpenAI client against a scripted
 * server on 127.0.0.1. "Exactly once" is checked on the raw topic: every record a plain
 * consumer sees, counted per query id (the worker's producer is idempotent, not transactional,
 * so read_committed and read_uncommitted see the same records).
 */
@ExtendWith(SharedKafka.class)
class LlmWorkerIT {

    static final Pattern QUERY_ID = Pattern.compile("query-id (q-[0-9a-f-]+)");
    static final EventCodec<ApprovedQuery> APPROVED = EventCodec.of(ApprovedQuery.class);

    ScriptedOpenAiServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = new ScriptedOpenAiServer();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void aThousandQueriesGetOneResponseEachAcrossAKilledWorker(KafkaCluster kafka) throws Exception {
        // Given: 1,000 approved queries from 50 users, a poison record, and a model that takes 25 ms
        TopicCatalog topics = createTopics(kafka);
        server.defaultDelay(25);
        List<ApprovedQuery> queries = produce(kafka, topics, 50, 20);
        produceRaw(kafka, topics.queriesApproved(), "user-0", "{ not json".getBytes(StandardCharsets.UTF_8));
        Map<String, String> env = env(kafka, topics);

        // When: the worker process dies without a clean shutdown part-way, and a new one takes over
        Process first = startChild(env);
        List<ConsumerRecord<String, byte[]>> before;
        try {
            before = TopicReader.await(kafka, topics.responses(), Duration.ofSeconds(120), r -> r.size() >= 300);
        } finally {
            first.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
        Set<String> answeredBeforeKill = TopicReader.readAll(kafka, topics.responses()).stream().map(ConsumerRecord::key)
                .collect(Collectors.toSet());
        Process second = startChild(env);
        List<ConsumerRecord<String, byte[]>> responses;
        try {
            TopicReader.await(kafka, topics.responses(), Duration.ofSeconds(180), r -> distinctKeys(r) >= queries.size());
            Thread.sleep(3_000);
            responses = TopicReader.readAll(kafka, topics.responses());
        } finally {
            second.destroy();
            second.waitFor(30, TimeUnit.SECONDS);
            second.destroyForcibly();
        }
        System.out.printf("worker IT: %d responses before the kill, %d after; %d model requests%n", answeredBeforeKill.size(),
                responses.size(), server.requests());

        // Then: every query id has exactly one response, and it was answered
        assertThat(before.size()).isLessThan(queries.size());
        assertThat(answeredBeforeKill.size()).isLessThan(queries.size());
        Map<String, Long> perQuery = responses.stream().collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        assertThat(perQuery.keySet()).containsExactlyInAnyOrderElementsOf(queries.stream().map(ApprovedQuery::queryId).toList());
        assertThat(perQuery).allSatisfy((id, n) -> assertThat(n).as(id).isOne());
        assertThat(responses).allSatisfy(r -> assertThat(json(r.value()).path("status").asText()).isEqualTo("answered"));

        // and a worker decision for every query, with usage: at least once on the topic (a crash between
        // a decision and its response repeats the decision), exactly one per query by event.id
        List<JsonNode> decisions = TopicReader.readAll(kafka, topics.decisions()).stream().map(r -> json(r.value())).toList();
        Map<String, Set<String>> idsPerQuery = decisions.stream().collect(Collectors.groupingBy(
                d -> d.path("parapet").path("query_id").asText(), Collectors.mapping(d -> d.path("event").path("id").asText(), Collectors.toSet())));
        assertThat(idsPerQuery.keySet()).containsExactlyInAnyOrderElementsOf(queries.stream().map(ApprovedQuery::queryId).toList());
        assertThat(idsPerQuery).allSatisfy((id, eventIds) -> assertThat(eventIds).as(id).hasSize(1));
        assertThat(decisions.size() - queries.size()).as("decisions repeated after the kill").isLessThanOrEqualTo(64);
        System.out.printf("worker IT: %d decision records for %d queries%n", decisions.size(), queries.size());
        assertThat(decisions).allSatisfy(d -> {
            assertThat(d.path("parapet").path("stage").asText()).isEqualTo("worker");
            assertThat(d.path("gen_ai").path("usage").path("input_tokens").asInt()).isEqualTo(12);
            assertThat(d.path("gen_ai").path("usage").path("output_tokens").asInt()).isEqualTo(5);
        });

        // and a query whose response existed before the kill was never sent to the model again
        Map<String, Long> asked = server.bodies().stream().map(QUERY_ID::matcher).filter(Matcher::find).map(m -> m.group(1))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(asked.keySet()).hasSize(queries.size());
        assertThat(answeredBeforeKill).allSatisfy(id -> assertThat(asked.get(id)).as(id).isOne());
        long reasked = asked.values().stream().filter(n -> n > 1).count();
        System.out.printf("worker IT: %d queries were in flight at the kill and asked twice%n", reasked);

        // and the poison record is on the DLQ with its error
        List<ConsumerRecord<String, byte[]>> dlq = TopicReader.readAll(kafka, topics.dlq());
        assertThat(dlq).singleElement().satisfies(r -> {
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("{ not json");
            assertThat(new String(r.headers().lastHeader("parapet.error.kind").value(), StandardCharsets.UTF_8)).isEqualTo("MALFORMED_JSON");
        });
    }

    @Test
    void workersInSeparateJvmsShareThePartitionsThroughASigkillAndARollingRestart(KafkaCluster kafka) throws Exception {
        // Given: six partitions, 1,200 approved queries from 60 users, a model that takes 200 ms,
        // and two worker JVMs in one group
        TopicCatalog topics = createTopics(kafka, 6);
        server.defaultDelay(200);
        server.forgetBodies();
        List<ApprovedQuery> queries = produce(kafka, topics, 60, 20);
        Map<String, String> env = env(kafka, topics);
        env.put("PARAPET_WORKER_CONCURRENCY", "8");
        List<Process> running = new ArrayList<>();
        List<ConsumerRecord<String, byte[]>> responses;
        int atKill;
        int atStop;
        int atRestart;
        try {
            Process a = startChild(env);
            Process b = startChild(env);
            running.addAll(List.of(a, b));

            // When: a is SIGKILLed under load and replaced by c; later b stops cleanly (draining) and starts again
            TopicReader.await(kafka, topics.responses(), Duration.ofSeconds(120), r -> distinctKeys(r) >= 300);
            a.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            atKill = distinctKeys(TopicReader.readAll(kafka, topics.responses()));
            running.add(startChild(env));
            atStop = distinctKeys(TopicReader.await(kafka, topics.responses(), Duration.ofSeconds(120),
                    r -> distinctKeys(r) >= atKill + 300));
            b.destroy();
            assertThat(b.waitFor(60, TimeUnit.SECONDS)).as("worker b drains and stops on SIGTERM").isTrue();
            atRestart = distinctKeys(TopicReader.readAll(kafka, topics.responses()));
            running.add(startChild(env));
            TopicReader.await(kafka, topics.responses(), Duration.ofSeconds(180), r -> distinctKeys(r) >= queries.size());
            Thread.sleep(3_000);
            responses = TopicReader.readAll(kafka, topics.responses());
        } finally {
            for (Process p : running) {
                p.destroy();
            }
            for (Process p : running) {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
        System.out.printf("worker scale-out IT: %d queries, %d answered at the SIGKILL, %d when b was stopped, %d when it restarted,"
                + " %d model requests%n", queries.size(), atKill, atStop, atRestart, server.requests());

        // Then: every query id has exactly one response, answered, and one worker decision by event id
        assertThat(atKill).isLessThan(queries.size());
        // b is stopped under load (its drain finishes only the calls in flight; the count at its exit is reported)
        assertThat(atStop).isLessThan(queries.size());
        Map<String, Long> perQuery = responses.stream().collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        assertThat(perQuery.keySet()).containsExactlyInAnyOrderElementsOf(queries.stream().map(ApprovedQuery::queryId).toList());
        assertThat(perQuery).allSatisfy((id, n) -> assertThat(n).as(id).isOne());
        assertThat(responses).allSatisfy(r -> assertThat(json(r.value()).path("status").asText()).isEqualTo("answered"));
        Map<String, Set<String>> idsPerQuery = TopicReader.readAll(kafka, topics.decisions()).stream().map(r -> json(r.value()))
                .collect(Collectors.groupingBy(d -> d.path("parapet").path("query_id").asText(),
                        Collectors.mapping(d -> d.path("event").path("id").asText(), Collectors.toSet())));
        assertThat(idsPerQuery.keySet()).containsExactlyInAnyOrderElementsOf(queries.stream().map(ApprovedQuery::queryId).toList());
        assertThat(idsPerQuery).allSatisfy((id, eventIds) -> assertThat(eventIds).as(id).hasSize(1));
    }

    @Test
    void callsRunInParallelButEachUsersQueriesInOrder(KafkaCluster kafka) throws Exception {
        // Given: 4 users with 25 queries each, a model that takes 40 ms, concurrency 8
        TopicCatalog topics = createTopics(kafka);
        server.defaultDelay(40);
        List<ApprovedQuery> queries = produce(kafka, topics, 4, 25);
        Map<String, String> env = env(kafka, topics);
        env.put("PARAPET_WORKER_CONCURRENCY", "8");

        // When
        try (WorkerService service = WorkerService.start(WorkerConfig.from(EnvReader.of(env)), Clock.systemUTC())) {
            TopicReader.await(kafka, topics.responses(), Duration.ofSeconds(60), r -> r.size() >= queries.size());
        }

        // Then: the users were served at the same time, each user's queries one after another in order
        assertThat(server.maxInFlight()).isBetween(2, 8);
        Map<String, List<Integer>> orderPerUser = new HashMap<>();
        for (String body : server.bodies()) {
            Matcher m = Pattern.compile("user (user-\\d+) #(\\d+)").matcher(body);
            assertThat(m.find()).isTrue();
            orderPerUser.computeIfAbsent(m.group(1), u -> new ArrayList<>()).add(Integer.parseInt(m.group(2)));
        }
        assertThat(orderPerUser).hasSize(4).allSatisfy((user, order) -> assertThat(order).isSorted().hasSize(25));
    }

    @Test
    void closingDrainsInFlightCallsSoNoAskedQueryLosesItsResponse(KafkaCluster kafka) throws Exception {
        // Given: 20 users, a slow model (400 ms), the worker busy
        TopicCatalog topics = createTopics(kafka);
        server.defaultDelay(400);
        List<ApprovedQuery> queries = produce(kafka, topics, 20, 3);
        Map<String, String> env = env(kafka, topics);
        env.put("PARAPET_WORKER_CONCURRENCY", "16");
        env.put("PARAPET_WORKER_DRAIN_TIMEOUT", "20s");
        WorkerService service = WorkerService.start(WorkerConfig.from(EnvReader.of(env)), Clock.systemUTC());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (server.requests() < 10 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        // When
        service.close();

        // Then: every call the model received produced a published response
        int asked = server.requests();
        List<ConsumerRecord<String, byte[]>> responses = TopicReader.readAll(kafka, topics.responses());
        assertThat(asked).isGreaterThanOrEqualTo(10);
        assertThat(responses).hasSize(asked);
        assertThat(distinctKeys(responses)).isEqualTo(asked);
        assertThat(asked).isLessThanOrEqualTo(queries.size());
    }

    @Test
    void theWorkersMetricsCountCallsTokensRetriesAndRedactionsAndReadinessFailsWhenConsumptionStops(KafkaCluster kafka) throws Exception {
        // Given: one user's six queries, in order: a 500 then an answer (one retry), an answer with an email
        // address (redacted), an answer leaking the canary (withheld), then three plain answers
        TopicCatalog topics = createTopics(kafka);
        server.script(ScriptedOpenAiServer.Step.status(500), ScriptedOpenAiServer.Step.answer("ok"),
                ScriptedOpenAiServer.Step.answer("write to someone@example.com"),
                ScriptedOpenAiServer.Step.answer("my canary is PRPT-00112233445566778899aabb"));
        Map<String, String> env = env(kafka, topics);
        env.put("PARAPET_LLM_BACKOFF", "10ms");
        try (WorkerService service = WorkerService.start(WorkerConfig.from(EnvReader.of(env)), Clock.systemUTC())) {
            String base = "http://127.0.0.1:" + service.opsPort();
            assertThat(Scrape.of(base + "/metrics").value("parapet_worker_llm_breaker_state", Map.of("state", "CLOSED"))).isEqualTo(1.0);
            assertThat(http(base + "/readyz").statusCode()).isEqualTo(200);

            // When
            List<ApprovedQuery> queries = produce(kafka, topics, 1, 6);
            TopicReader.await(kafka, topics.responses(), Duration.ofSeconds(60), r -> r.size() >= queries.size());

            // Then
            Scrape after = Scrape.of(base + "/metrics");
            assertThat(after.value("parapet_worker_llm_call_seconds_count", Map.of("outcome", "answered"))).isEqualTo(5.0);
            assertThat(after.value("parapet_worker_llm_call_seconds_count", Map.of("outcome", "withheld"))).isEqualTo(1.0);
            assertThat(after.named("parapet_worker_llm_call_seconds_bucket")).isNotEmpty();
            assertThat(after.value("parapet_worker_llm_retries_total", Map.of())).isEqualTo(1.0);
            assertThat(after.value("parapet_worker_llm_tokens_total", Map.of("direction", "input"))).isEqualTo(72.0);
            assertThat(after.value("parapet_worker_llm_tokens_total", Map.of("direction", "output"))).isEqualTo(30.0);
            assertThat(after.value("parapet_worker_redactions_total", Map.of("kind", "email"))).isEqualTo(1.0);
            assertThat(after.value("parapet_worker_output_withheld_total", Map.of("reason", "CANARY_LEAK"))).isEqualTo(1.0);
            assertThat(after.value("parapet_worker_llm_in_flight_calls", Map.of())).isZero();
            assertThat(after.value("parapet_worker_queries_published_total", Map.of())).isEqualTo(6.0);
            assertThat(after.value("parapet_worker_records_held", Map.of())).isZero();
            assertThat(after.value("parapet_worker_partitions_paused", Map.of())).isZero();
            assertThat(after.value("parapet_worker_records_retried_total", Map.of())).isZero();
            assertThat(after.sum("kafka_consumer_fetch_manager_records_consumed_total", Map.of())).as("consumer client metrics").isPresent();
            assertThat(after.samples()).allSatisfy(sample -> assertThat(sample.labels().values())
                    .noneMatch(v -> v.contains("user-0") || v.contains("refunds") || v.contains("example.com")));

            // When: consumption stops for good while the process lives
            service.worker().close();

            // Then
            HttpResponse<String> notReady = http(base + "/readyz");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).contains("consumption stopped");
        }
    }

    private static HttpResponse<String> http(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int distinctKeys(List<ConsumerRecord<String, byte[]>> records) {
        return (int) records.stream().map(ConsumerRecord::key).distinct().count();
    }

    private static TopicCatalog createTopics(KafkaCluster kafka) throws Exception {
        return createTopics(kafka, 3);
    }

    private static TopicCatalog createTopics(KafkaCluster kafka, int partitions) throws Exception {
        TopicCatalog topics = new TopicCatalog("worker-" + UUID.randomUUID().toString().substring(0, 8) + ".", partitions,
                Optional.of((short) 1));
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            new TopicBootstrap(admin, Duration.ofSeconds(30)).apply(topics.specs());
        }
        return topics;
    }

    private Map<String, String> env(KafkaCluster kafka, TopicCatalog topics) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", String.valueOf(kafka.clientProperties().get("bootstrap.servers")));
        env.put("PARAPET_OPS_HOST", "127.0.0.1");
        env.put("PARAPET_OPS_PORT", "0");
        env.put("PARAPET_TOPIC_PREFIX", topics.prefix());
        env.put("PARAPET_LLM_PROVIDER", "openai");
        env.put("OPENAI_API_KEY", "sk-test-not-a-real-key");
        env.put("PARAPET_LLM_BASE_URL", server.baseUrl());
        env.put("PARAPET_LLM_MODEL", "fake-model");
        env.put("PARAPET_CANARY", "PRPT-00112233445566778899aabb");
        env.put("PARAPET_WORKER_GROUP", topics.prefix() + "worker");
        env.put("PARAPET_WORKER_CONCURRENCY", "16");
        return env;
    }

    private static List<ApprovedQuery> produce(KafkaCluster kafka, TopicCatalog topics, int users, int perUser) throws Exception {
        List<ApprovedQuery> queries = new ArrayList<>();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
            for (int i = 0; i < perUser; i++) {
                for (int u = 0; u < users; u++) {
                    String id = "q-" + UUID.randomUUID();
                    ApprovedQuery q = new ApprovedQuery(SchemaVersion.CURRENT, id, "d-" + id, Instant.now(), "user-" + u,
                            List.of("ai.playground.user"), "0123456789abcdef0123456789abcdef", "fp-" + u,
                            "user user-" + u + " #" + i + " asks about refunds, query-id " + id, null, Map.of(), "10.0.0." + u, 0.0, List.of());
                    sent.add(producer.send(new ProducerRecord<>(topics.queriesApproved(), q.userId(), APPROVED.encode(q))));
                    queries.add(q);
                }
            }
            for (Future<RecordMetadata> f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        return queries;
    }

    private static void produceRaw(KafkaCluster kafka, String topic, String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static KafkaProducer<String, byte[]> producer(KafkaCluster kafka) {
        return new KafkaProducer<>(InputProducers.properties(kafka.clientProperties()), new StringSerializer(), new ByteArraySerializer());
    }

    private static Process startChild(Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "dev.parapet.worker.app.WorkerMain")
                .redirectErrorStream(true)
                .redirectOutput(Files.createTempFile("worker-child-", ".log").toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return Json.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
