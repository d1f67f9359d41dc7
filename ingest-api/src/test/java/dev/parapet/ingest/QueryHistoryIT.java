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

            // When: one of alice's outcomes is redelivered as is and then replaced by a later one (a worker retry),
            // one of bob's is deleted from the topic (a tombstone), and five new outcomes of alice arrive after her first page
            String twice = responses.get(0).queryId();
            String deleted = responses.get(3).queryId();
            Instant retried = Instant.now().minusSeconds(5);
            publish(kafka, topics, List.of(responses.get(0), new QueryResponse(SchemaVersion.CURRENT, twice, "alice", "alice",
                    QueryStatus.ANSWERED, null, "retried", "m", 1, 1, retried)));
            awaitNewest(edge, "alice", twice);
            publishTombstone(kafka, topics, deleted);
            expected.get("bob").remove(deleted);
            awaitDeleted(edge, "bob", deleted);
            List<JsonNode> first = page(edge, "alice", 37, null);
            String afterFirst = lastCursor;
            List<QueryResponse> late = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                late.add(new QueryResponse(SchemaVersion.CURRENT, ids.newId("alice"), "alice", "alice", QueryStatus.ANSWERED, null,
                        "late " + i, "m", 1, 1, Instant.now()));
            }
            publish(kafka, topics, late);
            awaitHistory(edge, "alice", 605);
            List<JsonNode> rest = walkFrom(edge, "alice", 37, afterFirst);

            // Then: the walk that began before they arrived still sees every earlier outcome exactly once
            List<String> walked = new ArrayList<>();
            first.forEach(n -> walked.add(n.path("id").asText()));
            rest.forEach(n -> walked.add(n.path("id").asText()));
            assertThat(walked).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected.get("alice"));
            late.forEach(r -> expected.get("alice").add(r.queryId()));

            // and pages of 37 walk each user's whole history once, newest first, every page full but the last
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
            System.out.printf("history IT: a new edge served the restored outcomes %d ms after start%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));

            // Then: the history is whole again, rebuilt from the results store
            assertThat(walk(restarted, "alice", 100)).extracting(n -> n.path("id").asText())
                    .containsExactlyInAnyOrderElementsOf(expected.get("alice"));
            assertThat(walk(restarted, "bob", 100)).extracting(n -> n.path("id").asText())
                    .containsExactlyInAnyOrderElementsOf(expected.get("bob"));
        }
    }

    private String lastCursor;

    private List<JsonNode> walk(IngestService edge, String user, int limit) throws Exception {
        return walkFrom(edge, user, limit, null);
    }

    private List<JsonNode> walkFrom(IngestService edge, String user, int limit, String start) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        String next = start;
        for (int pages = 0; pages < 100; pages++) {
            List<JsonNode> items = page(edge, user, limit, next);
            all.addAll(items);
            if (lastCursor == null) {
                return all;
            }
            assertThat(items).as("a page with more after it is full").hasSize(limit);
            next = lastCursor;
        }
        throw new AssertionError("history of " + user + " did not end within 100 pages");
    }

    /** One page; leaves its next cursor (or null) in {@link #lastCursor}. */
    private List<JsonNode> page(IngestService edge, String user, int limit, String before) throws Exception {
        HttpResponse<String> page = get(edge, user, "/v1/queries?limit=" + limit
                + (before == null ? "" : "&before=" + URLEncoder.encode(before, StandardCharsets.UTF_8)));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode body = Json.mapper().readTree(page.body());
        List<JsonNode> items = new ArrayList<>();
        body.path("items").forEach(items::add);
        assertThat(items.size()).isLessThanOrEqualTo(limit);
        lastCursor = body.has("next") ? body.path("next").asText() : null;
        return items;
    }

    private void awaitHistory(IngestService edge, String user, int size) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int seen = 0;
        while (System.nanoTime() < deadline) {
            seen = walk(edge, user, 100).size();
            if (seen >= size) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(user + "'s history reached " + seen + " of " + size + " entries within 60 s");
    }

    private void awaitNewest(IngestService edge, String user, String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (page(edge, user, 1, null).get(0).path("id").asText().equals(id)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(id + " did not move to the top of " + user + "'s history");
    }

    private void awaitDeleted(IngestService edge, String user, String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (walk(edge, user, 100).stream().noneMatch(n -> n.path("id").asText().equals(id))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(id + " still in " + user + "'s history after its tombstone");
    }

    private static void publishTombstone(KafkaCluster kafka, TopicCatalog topics, String queryId) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(InputProducers.properties(kafka.clientProperties()),
                new StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.responses(), queryId, null)).get(60, TimeUnit.SECONDS);
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
