package dev.parapet.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parapet.events.QueryResponse;
import dev.parapet.events.QueryStatus;
import dev.parapet.events.SchemaVersion;
import dev.parapet.events.codec.EventSerdes;
import dev.parapet.events.codec.Json;
import dev.parapet.events.config.EnvReader;
import dev.parapet.events.topic.TopicBootstrap;
import dev.parapet.events.topic.TopicCatalog;
import dev.parapet.infra.junit.SharedKafka;
import dev.parapet.infra.kafka.InputProducers;
import dev.parapet.infra.kafka.KafkaCluster;
import dev.parapet.ingest.app.IngestConfig;
import dev.parapet.ingest.app.IngestService;
import dev.parapet.ingest.http.QueryIds;
import java.net.URI;
import java.net.URLEncoder;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /v1/queries} on the real broker: each user sees exactly their own outcomes, page after page, across a restart. */
@ExtendWith(SharedKafka.class)
class QueryHistoryIT {

    @TempDir
    Path state;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aThousandOutcomesOfTwoUsersPageCompletelyWithoutRepeatsAndNeverAcrossUsersAndSurviveARestart(KafkaCluster kafka) throws Exception {
        // Given: 600 outcomes for alice and 400 for bob, plus 30 that only claim to be alice (a forged token the
        // policy stage refused, so no verified user) and must never enter her history
        TopicCatalog topics = new TopicCatalog("h" + UUID.randomUUID().toString().substring(0, 8) + ".", 3, Optional.empty());
        try (Admin admin = kafka.admin()) {
            new TopicBootstrap(admin, Duration.ofSeconds(30)).apply(topics.specs());
        }
        QueryIds ids = new QueryIds(IngestApiIT.SECRET.getBytes(StandardCharsets.UTF_8));
        Map<String, Set<String>> expected = Map.of("alice", new HashSet<>(), "bob", new HashSet<>());
        List<QueryResponse> responses = new ArrayList<>();
        Instant base = Instant.now().minusSeconds(3_600);
        for (int i = 0; i < 1_000; i++) {
            String user = i % 5 < 3 ? "alice" : "bob";
            String id = ids.newId(user);
            expected.get(user).add(id);
            // every tenth pair shares a millisecond, so ties are ordered by id
            Instant at = base.plusMillis(i / 2 * 7L);
            responses.add(i % 3 == 0
                    ? new QueryResponse(SchemaVersion.CURRENT, id, user, user, QueryStatus.BLOCKED, "PROMPT_INJECTION", null, null, null, null, at,
                            "PI-001: Instruction override")
                    : new QueryResponse(SchemaVersion.CURRENT, id, user, user, QueryStatus.ANSWERED, null, "answer " + i, "m", 3, 4, at));
        }
        for (int i = 0; i < 30; i++) {
            responses.add(new QueryResponse(SchemaVersion.CURRENT, ids.newId("alice"), null, "alice", QueryStatus.BLOCKED,
                    "TOKEN_SIGNATURE_INVALID", null, null, null, null, base.plusSeconds(i), "TOKEN_SIGNATURE_INVALID: Token signature invalid"));
        }
        publish(kafka, topics, responses);
        Map<String, String> env = env(kafka, topics);

        try (IngestService edge = IngestService.start(IngestConfig.from(EnvReader.of(env), Optional.empty()), Clock.systemUTC(),
                Duration.ofSeconds(60))) {
            awaitHistory(edge, "alice", 600);

            // When / Then: pages of 37 walk each user's whole history once, newest first
            for (String user : List.of("alice", "bob")) {
                List<JsonNode> seen = walk(edge, user, 37);
                assertThat(seen).extracting(n -> n.path("id").asText()).doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(expected.get(user));
                List<Instant> times = seen.stream().map(n -> Instant.parse(n.path("responded_at").asText())).toList();
                assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());
                assertThat(seen).filteredOn(n -> n.path("status").asText().equals("blocked"))
                        .allSatisfy(n -> assertThat(n.path("blocked_by").asText()).isEqualTo("PI-001: Instruction override"));
            }

            // and bad paging input gets a 400 naming the parameter
            assertThat(get(edge, "alice", "/v1/queries?limit=0").statusCode()).isEqualTo(400);
            assertThat(get(edge, "alice", "/v1/queries?limit=101").body()).contains("limit must be a whole number from 1 to 100");
            assertThat(get(edge, "alice", "/v1/queries?before=not-a-cursor").body()).contains("Invalid cursor");
            assertThat(get(edge, null, "/v1/queries").statusCode()).isEqualTo(401);
        }

        // When: a new edge instance starts from an empty state directory
        env.put("PARAPET_STATE_DIR", state.resolve("second").toString());
        long started = System.nanoTime();
        try (IngestService restarted = IngestService.start(IngestConfig.from(EnvReader.of(env), Optional.empty()), Clock.systemUTC(),
                Duration.ofSeconds(60))) {
            System.out.printf("history IT: a new edge served 1,030 restored outcomes %d ms after start%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));

            // Then: the history is whole again, rebuilt from the results store
            assertThat(walk(restarted, "alice", 100)).extracting(n -> n.path("id").asText())
                    .containsExactlyInAnyOrderElementsOf(expected.get("alice"));
            assertThat(walk(restarted, "bob", 100)).hasSize(400);
        }
    }

    private List<JsonNode> walk(IngestService edge, String user, int limit) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        String next = null;
        for (int pages = 0; pages < 100; pages++) {
            HttpResponse<String> page = get(edge, user, "/v1/queries?limit=" + limit
                    + (next == null ? "" : "&before=" + URLEncoder.encode(next, StandardCharsets.UTF_8)));
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            JsonNode body = Json.mapper().readTree(page.body());
            body.path("items").forEach(all::add);
            assertThat(body.path("items").size()).isLessThanOrEqualTo(limit);
            if (!body.has("next")) {
                return all;
            }
            next = body.path("next").asText();
        }
        throw new AssertionError("history of " + user + " did not end within 100 pages");
    }

    private void awaitHistory(IngestService edge, String user, int size) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (walk(edge, user, 100).size() >= size) {
                return;
            }
            Thread.sleep(200);
        }
    }

    private HttpResponse<String> get(IngestService edge, String user, String path) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.port() + path))
                .header("X-Forwarded-For", "10.77.0." + (user == null ? 1 : user.length()));
        if (user != null) {
            request.header("Authorization", "Bearer " + IngestApiIT.token(user));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, String> env(KafkaCluster kafka, TopicCatalog topics) {
        return new HashMap<>(Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "SECRET_KEY", IngestApiIT.SECRET,
                "PARAPET_TOPIC_PREFIX", topics.prefix(), "PARAPET_API_HOST", "127.0.0.1", "PARAPET_API_PORT", "0",
                "PARAPET_STATE_DIR", state.resolve("first").toString(), "PARAPET_INGEST_APPLICATION_ID", topics.prefix() + "ingest",
                "PARAPET_IP_RATE_LIMIT", "100000", "PARAPET_TRUSTED_PROXIES", "loopback"));
    }

    private static void publish(KafkaCluster kafka, TopicCatalog topics, List<QueryResponse> responses) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<String, QueryResponse> producer = new KafkaProducer<>(InputProducers.properties(kafka.clientProperties()),
                new StringSerializer(), EventSerdes.queryResponse().serializer())) {
            for (QueryResponse r : responses) {
                sent.add(producer.send(new ProducerRecord<>(topics.responses(), r.queryId(), r)));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
    }
}
