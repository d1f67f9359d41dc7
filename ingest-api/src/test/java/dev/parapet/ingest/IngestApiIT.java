package dev.parapet.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parapet.events.QueryResponse;
import dev.parapet.events.QueryStatus;
import dev.parapet.events.QuerySubmitted;
import dev.parapet.events.codec.EventSerdes;
import dev.parapet.events.codec.Json;
import dev.parapet.events.config.EnvReader;
import dev.parapet.events.topic.TopicBootstrap;
import dev.parapet.events.topic.TopicCatalog;
import dev.parapet.infra.junit.SharedKafka;
import dev.parapet.infra.kafka.EmbeddedKafka;
import dev.parapet.infra.kafka.KafkaCluster;
import dev.parapet.ingest.app.IngestConfig;
import dev.parapet.ingest.app.IngestService;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
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
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SharedKafka.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestApiIT {

    static final String SECRET = "ingest-it-secret-0123456789abcdef0123456789abcdef0123456789";

    @TempDir
    static Path state;

    private KafkaCluster kafka;
    private TopicCatalog topics;
    private IngestService service;
    private final HttpClient http = HttpClient.newHttpClient();
    /** Each test speaks from its own address (through the trusted loopback proxy), so rate limits don't mix. */
    private static final AtomicInteger FLOOD_ADDRESSES = new AtomicInteger();
    private static final AtomicInteger CLIENT_ADDRESSES = new AtomicInteger();

    private String clientAddress;
    /** Every (route, status) this test saw, checked against the OpenAPI document at the end. */
    private final Set<String> seen = new TreeSet<>();

    @BeforeAll
    void start(KafkaCluster kafka) {
        this.kafka = kafka;
        this.topics = new TopicCatalog("i" + UUID.randomUUID().toString().substring(0, 8) + ".", 3, Optional.empty());
        try (Admin admin = kafka.admin()) {
            new TopicBootstrap(admin, Duration.ofSeconds(30)).apply(topics.specs());
        }
        service = startService(kafka.bootstrapServers(), topics, "30");
    }

    @org.junit.jupiter.api.BeforeEach
    void ownAddress() {
        int n = CLIENT_ADDRESSES.incrementAndGet(); // each test its own address: the per-address limit never carries over
        clientAddress = "10.0." + (n / 250) + "." + (1 + n % 250);
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    private IngestService startService(String bootstrap, TopicCatalog catalog, String ipLimit) {
        return startService(bootstrap, catalog, ipLimit, Map.of());
    }

    private IngestService startService(String bootstrap, TopicCatalog catalog, String ipLimit, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap, "SECRET_KEY", SECRET,
                "PARAPET_TOPIC_PREFIX", catalog.prefix(), "PARAPET_API_HOST", "127.0.0.1", "PARAPET_API_PORT", "0",
                "PARAPET_STATE_DIR", state.resolve(UUID.randomUUID().toString()).toString(),
                "PARAPET_INGEST_APPLICATION_ID", catalog.prefix() + "ingest-" + UUID.randomUUID(),
                "PARAPET_IP_RATE_LIMIT", ipLimit, "PARAPET_TRUSTED_PROXIES", "loopback", "PARAPET_EDGE_FLUSH_INTERVAL", "1s"));
        env.putAll(extra);
        return IngestService.start(IngestConfig.from(EnvReader.of(env), Optional.empty()), Clock.systemUTC(), Duration.ofSeconds(60));
    }

    static String token(String user) {
        String nonce = UUID.randomUUID().toString().replace("-", "");
        return Jwts.builder().claim("user_id", user).claim("roles", List.of("ai.playground.user")).claim("nonce", nonce).id(nonce)
                .issuedAt(Date.from(Instant.now().minusSeconds(5))).expiration(Date.from(Instant.now().plusSeconds(1800)))
                .signWith(Keys.hmacShaKeyFor(SECRET.getBytes(StandardCharsets.UTF_8)), Jwts.SIG.HS256).compact();
    }

    @Test
    void a202PutsExactlyOneEventWithTheRightKeyAndFields() throws Exception {
        // When
        HttpResponse<String> response = post(service, token("alice"), "{\"query\": \"What is our refund policy?\", "
                + "\"conversation_id\": \"c-1\", \"metadata\": {\"app\": \"helpdesk\"}}", Map.of("X-Request-Id", "req-42",
                "X-Forwarded-For", "198.51.100.7", "User-Agent", "it-client/1.0"));

        // Then
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("X-Request-Id")).contains("req-42");
        JsonNode body = Json.mapper().readTree(response.body());
        String id = body.get("id").asText();
        assertThat(body.get("status").asText()).isEqualTo("pending");
        assertThat(body.at("/links/self").asText()).isEqualTo("/v1/queries/" + id);
        List<ConsumerRecord<String, byte[]>> events = queriesWith(id);
        assertThat(events).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("alice");
            QuerySubmitted event = EventSerdes.querySubmitted().deserializer().deserialize("", record.value());
            assertThat(event.claimedSubject()).isEqualTo("alice");
            assertThat(event.query()).isEqualTo("What is our refund policy?");
            assertThat(event.conversationId()).isEqualTo("c-1");
            assertThat(event.metadata()).containsEntry("app", "helpdesk");
            assertThat(event.sourceIp()).as("trusted loopback proxy").isEqualTo("198.51.100.7");
            assertThat(event.userAgent()).isEqualTo("it-client/1.0");
            assertThat(event.requestId()).isEqualTo("req-42");
        });
    }

    @Test
    void everyBadInputGetsItsStatusAndLeavesTheTopicUntouched() throws Exception {
        // Given
        long before = countQueries();
        String good = token("bob");
        String hugeQuery = "{\"query\": \"" + "x".repeat(17_000) + "\"}";
        StringBuilder manyMeta = new StringBuilder("{\"query\": \"hi\", \"metadata\": {");
        for (int i = 0; i < 17; i++) {
            manyMeta.append(i > 0 ? "," : "").append("\"k").append(i).append("\": \"v\"");
        }
        manyMeta.append("}}");

        // Then
        assertThat(postRaw(service, good, "text/plain", "hello".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(415);
        assertThat(postRaw(service, good, "application/json", hugeQuery.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(413);
        assertThat(post(service, good, "{not json").statusCode()).isEqualTo(400);
        assertThat(postRaw(service, good, "application/json", new byte[] {'{', '"', 'q', '"', ':', (byte) 0xC3, (byte) 0x28, '}'})
                .statusCode()).isEqualTo(400);
        assertThat(post(service, good, "{}").statusCode()).isEqualTo(400);
        assertThat(post(service, good, "{\"query\": \"   \"}").statusCode()).isEqualTo(400);
        assertThat(post(service, good, "{\"query\": 42}").statusCode()).isEqualTo(400);
        assertThat(post(service, good, "{\"query\": \"" + "a".repeat(2001) + "\"}").statusCode()).isEqualTo(400);
        assertThat(post(service, good, "{\"query\": \"nul\\u0000 here\"}").statusCode()).isEqualTo(400);
        assertThat(post(service, good, "{\"query\": \"bell\\u0007\"}").statusCode()).isEqualTo(400);
        assertThat(post(service, good, "{\"query\": \"hi\", \"admin\": true}").statusCode()).isEqualTo(400);
        assertThat(post(service, good, manyMeta.toString()).statusCode()).isEqualTo(400);
        assertThat(post(service, good, "{\"query\": \"hi\", \"metadata\": {\"k\": \"" + "v".repeat(257) + "\"}}").statusCode()).isEqualTo(400);
        assertThat(post(service, good, "{\"query\": \"hi\", \"metadata\": {\"k\": 1}}").statusCode()).isEqualTo(400);
        HttpResponse<String> missing = post(service, null, "{\"query\": \"hi\"}");
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(missing.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(Json.mapper().readTree(missing.body()).get("status").asInt()).isEqualTo(401);
        assertThat(post(service, "not-a-jwt", "{\"query\": \"hi\"}").statusCode()).isEqualTo(401);
        assertThat(post(service, "a".repeat(9000) + ".b.c", "{\"query\": \"hi\"}").statusCode()).isEqualTo(401);

        // and nothing was published
        assertThat(countQueries()).isEqualTo(before);
    }

    @Test
    void floodsFromOneAddressGet429WithRetryAfterAndPublishNothing() throws Exception {
        // Given: the service allows 30 requests per address per minute
        long before = countQueries();
        String address = "203.0.113." + FLOOD_ADDRESSES.incrementAndGet(); // never reused within this JVM
        List<Integer> statuses = new ArrayList<>();

        // When
        for (int i = 0; i < 35; i++) {
            statuses.add(post(service, null, "{\"query\": \"hi\"}", Map.of("X-Forwarded-For", address)).statusCode());
        }
        HttpResponse<String> limited = post(service, token("carol"), "{\"query\": \"hi\"}", Map.of("X-Forwarded-For", address));

        // Then
        assertThat(statuses.subList(0, 30)).containsOnly(401);
        assertThat(statuses.subList(30, 35)).containsOnly(429);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(countQueries()).isEqualTo(before);
    }

    @Test
    void edgeRejectionsBecomeOneAggregatedDecisionPerAddress() throws Exception {
        // Given: five unauthenticated requests from one address
        String address = clientAddress;
        for (int i = 0; i < 5; i++) {
            assertThat(post(service, "not-a-jwt", "{\"query\": \"hi\"}").statusCode()).isEqualTo(401);
        }

        // When: the once-a-second flush (once a minute by default) has run
        List<JsonNode> decisions = List.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (decisions.stream().mapToLong(d -> d.at("/parapet/count").asLong()).sum() < 5 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            decisions = readAll(topics.decisions()).stream().filter(r -> address.equals(r.key()))
                    .map(r -> json(r.value())).toList();
        }

        // Then: one decision per address per flush window (a window boundary may fall inside the burst), counts exact
        assertThat(decisions).hasSizeBetween(1, 2).allSatisfy(d -> {
            assertThat(d.at("/parapet/stage").asText()).isEqualTo("edge");
            assertThat(d.at("/parapet/reason_code").asText()).isEqualTo("EDGE_UNAUTHENTICATED");
            assertThat(d.at("/source/ip").asText()).isEqualTo(address);
            assertThat(d.at("/event/kind").asText()).isEqualTo("event");
        });
        assertThat(decisions.stream().mapToLong(d -> d.at("/parapet/count").asLong()).sum()).isEqualTo(5);
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return Json.mapper().readTree(bytes);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void getFollowsTheResponseLongPollReturnsPromptlyAndOthersGet404() throws Exception {
        // Given
        String dana = token("dana");
        String id = Json.mapper().readTree(post(service, dana, "{\"query\": \"hello\"}").body()).get("id").asText();
        assertThat(get(service, dana, id, "").statusCode()).isEqualTo(200);
        assertThat(Json.mapper().readTree(get(service, dana, id, "").body()).get("status").asText()).isEqualTo("pending");

        // When: a long poll is waiting when the response is written
        CompletableFuture<HttpResponse<String>> polling = http.sendAsync(request(dana, "/v1/queries/" + id + "?wait=10s").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(500);
        long written = System.nanoTime();
        try (KafkaProducer<String, QueryResponse> producer = new KafkaProducer<>(kafka.clientProperties(), new StringSerializer(),
                EventSerdes.queryResponse().serializer())) {
            producer.send(new ProducerRecord<>(topics.responses(), id, new QueryResponse(1, id, "dana", "dana", QueryStatus.ANSWERED,
                    null, "Hi there", "test-model", 3, 2, Instant.now()))).get();
        }
        HttpResponse<String> answered = polling.get(15, TimeUnit.SECONDS);
        long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - written);
        seen.add("GET /v1/queries/{id} " + answered.statusCode());
        System.out.printf("ingest IT: long-poll answered %d ms after the response was acknowledged%n", latencyMs);

        // Then
        JsonNode body = Json.mapper().readTree(answered.body());
        assertThat(body.get("status").asText()).isEqualTo("answered");
        assertThat(body.get("answer").asText()).isEqualTo("Hi there");
        assertThat(body.at("/usage/input_tokens").asInt()).isEqualTo(3);
        assertThat(latencyMs).isLessThan(1_000);
        assertThat(get(service, token("eve"), id, "").statusCode()).isEqualTo(404);
        assertThat(get(service, dana, "made-up.id", "").statusCode()).isEqualTo(404);
        assertThat(get(service, "bad", id, "").statusCode()).isEqualTo(401);
        assertThat(get(service, dana, id, "?wait=forever").statusCode()).isEqualTo(400);
    }

    @Test
    void idempotencyHoldsAcrossARestart() throws Exception {
        // Given
        String frank = token("frank");
        String key = "order-" + UUID.randomUUID();
        String first = Json.mapper().readTree(post(service, frank, "{\"query\": \"once\"}", Map.of("Idempotency-Key", key)).body())
                .get("id").asText();

        // When: a new instance (same topics) receives the retry
        IngestService restarted = startService(kafka.bootstrapServers(), topics, "1000");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            String second = null;
            while (System.nanoTime() < deadline) {
                HttpResponse<String> retry = post(restarted, frank, "{\"query\": \"once\"}", Map.of("Idempotency-Key", key));
                assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
                second = Json.mapper().readTree(retry.body()).get("id").asText();
                if (queriesWith(first).size() == 1) {
                    break;
                }
            }

            // Then
            assertThat(second).isEqualTo(first);
            assertThat(queriesWith(first)).hasSize(1);
        } finally {
            restarted.close();
        }
    }

    @Test
    void aForgedTokenCannotSquatAVictimsIdempotencyKey() throws Exception {
        // Given: an attacker claims user_id=heidi with a token signed by another key
        String forged = Jwts.builder().claim("user_id", "heidi").claim("roles", List.of("ai.playground.user"))
                .claim("nonce", "0123456789abcdef0123456789abcdef").issuedAt(new Date()).expiration(Date.from(Instant.now().plusSeconds(600)))
                .signWith(Keys.hmacShaKeyFor("attacker-key-0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)),
                        Jwts.SIG.HS256).compact();
        String key = "invoice-" + UUID.randomUUID();
        String squatted = Json.mapper().readTree(post(service, forged, "{\"query\": \"x\"}", Map.of("Idempotency-Key", key)).body())
                .get("id").asText();

        // When: heidi sends her own request with that key, twice
        String heidi = token("heidi");
        String first = Json.mapper().readTree(post(service, heidi, "{\"query\": \"mine\"}", Map.of("Idempotency-Key", key)).body())
                .get("id").asText();
        String again = Json.mapper().readTree(post(service, heidi, "{\"query\": \"mine\"}", Map.of("Idempotency-Key", key)).body())
                .get("id").asText();

        // Then: her key is hers
        assertThat(first).isNotEqualTo(squatted).isEqualTo(again);
        assertThat(queriesWith(first)).hasSize(1);
    }

    @Test
    void everyForwardedForLineCountsSoAClientCannotSpoofItsAddress() throws Exception {
        // Given: the client sends its own line, the (loopback) proxy appends the real one
        HttpRequest request = request(token("ivan"), "/v1/queries").header("Content-Type", "application/json")
                .header("X-Forwarded-For", "6.6.6.6").header("X-Forwarded-For", "198.51.100.9")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"where am I\"}")).build();

        // When
        HttpResponse<String> response = send(service, request);

        // Then
        String id = Json.mapper().readTree(response.body()).get("id").asText();
        assertThat(queriesWith(id)).singleElement().satisfies(record ->
                assertThat(EventSerdes.querySubmitted().deserializer().deserialize("", record.value()).sourceIp()).isEqualTo("198.51.100.9"));
    }

    @Test
    void aStoppedBrokerTurns202sInto503sUntilItReturns(@TempDir Path ownState) throws Exception {
        try (EmbeddedKafka own = EmbeddedKafka.start()) {
            // Given
            TopicCatalog catalog = new TopicCatalog("", 1, Optional.empty());
            try (Admin admin = own.admin()) {
                new TopicBootstrap(admin, Duration.ofSeconds(30)).apply(catalog.specs());
            }
            IngestService edge = startService(own.bootstrapServers(), catalog, "1000");
            try {
                String grace = token("grace");
                assertThat(post(edge, grace, "{\"query\": \"before\"}").statusCode()).isEqualTo(202);

                // When
                own.stopBroker();
                HttpResponse<String> down = post(edge, grace, "{\"query\": \"during\"}");

                // Then
                assertThat(down.statusCode()).isEqualTo(503);
                assertThat(down.headers().firstValue("Retry-After")).isPresent();
                seen.add("POST /v1/queries 503");

                // When the broker returns
                own.startBroker();
                int status = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (status != 202 && System.nanoTime() < deadline) {
                    status = post(edge, grace, "{\"query\": \"after\"}").statusCode();
                }
                assertThat(status).isEqualTo(202);
            } finally {
                edge.close();
            }
        }
    }

    @Test
    void corsIsClosedUnlessTheOriginIsConfiguredAndEveryAnswerCarriesTheSecurityHeaders() throws Exception {
        // Given: this edge with no CORS origins, and a second one that allows one
        Map<String, String> extra = Map.of("PARAPET_CORS_ORIGINS", "https://app.example.com");
        try (IngestService open = startService(kafka.bootstrapServers(), topics, "30", extra)) {
            for (IngestService edge : List.of(service, open)) {
                // When
                HttpResponse<String> fromElsewhere = send(edge, request(token("alice"), "/v1/queries/x").header("Origin", "https://evil.example")
                        .GET().build());
                HttpResponse<String> preflight = send(edge, request(null, "/v1/queries").header("Origin", "https://evil.example")
                        .header("Access-Control-Request-Method", "POST").method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());

                // Then: an unknown origin gets no CORS header, and its preflight a 403
                assertThat(fromElsewhere.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
                assertThat(preflight.statusCode()).isEqualTo(403);
                assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
                assertThat(fromElsewhere.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
                assertThat(fromElsewhere.headers().firstValue("X-Frame-Options")).contains("DENY");
                assertThat(fromElsewhere.headers().firstValue("Referrer-Policy")).contains("no-referrer");
                assertThat(fromElsewhere.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                        assertThat(csp).contains("default-src 'none'").contains("frame-ancestors 'none'").doesNotContain("unsafe"));
            }
            HttpResponse<String> allowed = send(open, request(null, "/v1/queries").header("Origin", "https://app.example.com")
                    .header("Access-Control-Request-Method", "POST").method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
            assertThat(allowed.statusCode()).isEqualTo(204);
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example.com");
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers")).hasValueSatisfying(h -> assertThat(h).contains("Authorization"));
            HttpResponse<String> real = send(open, request(token("alice"), "/v1/queries/x").header("Origin", "https://app.example.com")
                    .GET().build());
            assertThat(real.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example.com");
            assertThat(real.headers().firstValue("Vary")).hasValueSatisfying(v -> assertThat(v).contains("Origin"));
            assertThat(real.headers().firstValue("Cache-Control")).contains("no-store");
        }
    }

    @Test
    void opsEndpointsAnswerAndTheOpenApiDocumentCoversWhatTheServerDoes() throws Exception {
        assertThat(send(service, request(null, "/healthz").GET().build()).statusCode()).isEqualTo(200);
        HttpResponse<String> ready = send(service, request(null, "/readyz").GET().build());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\":\"ready\"");
        assertThat(send(service, request(null, "/metrics").GET().build()).body()).contains("parapet_ingest_requests_seconds")
                .contains("kafka_producer_record_send_total").contains("kafka_stream_").contains("jvm_memory_used_bytes");
        JsonNode doc = Json.mapper().readTree(send(service, request(null, "/openapi.json").GET().build()).body());
        assertThat(send(service, request(null, "/nope").GET().build()).statusCode()).isEqualTo(404);

        // every (route, status) this class saw is declared in the document
        a202PutsExactlyOneEventWithTheRightKeyAndFields();
        ownAddress();
        everyBadInputGetsItsStatusAndLeavesTheTopicUntouched();
        ownAddress();
        getFollowsTheResponseLongPollReturnsPromptlyAndOthersGet404();
        ownAddress();
        floodsFromOneAddressGet429WithRetryAfterAndPublishNothing();
        for (String entry : seen) {
            String[] parts = entry.split(" ");
            JsonNode operation = doc.path("paths").path(parts[1]).path(parts[0].toLowerCase(java.util.Locale.ROOT));
            assertThat(operation.path("responses").has(parts[2])).as("OpenAPI declares " + entry).isTrue();
        }
        assertThat(seen).contains("POST /v1/queries 202", "POST /v1/queries 400", "POST /v1/queries 401", "POST /v1/queries 413",
                "POST /v1/queries 415", "POST /v1/queries 429", "GET /v1/queries/{id} 200", "GET /v1/queries/{id} 404",
                "GET /v1/queries/{id} 401", "GET /v1/queries/{id} 400");
    }

    // --- plumbing -----------------------------------------------------------------------------

    private HttpResponse<String> post(IngestService target, String token, String json) throws Exception {
        return post(target, token, json, Map.of());
    }

    private HttpResponse<String> post(IngestService target, String token, String json, Map<String, String> headers) throws Exception {
        HttpRequest.Builder builder = request(token, "/v1/queries").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(builder::header);
        if (!headers.containsKey("X-Forwarded-For")) {
            builder.header("X-Forwarded-For", clientAddress);
        }
        return record("POST /v1/queries", send(target, builder.build()));
    }

    private HttpResponse<String> postRaw(IngestService target, String token, String contentType, byte[] body) throws Exception {
        return record("POST /v1/queries", send(target, request(token, "/v1/queries").header("Content-Type", contentType)
                .header("X-Forwarded-For", clientAddress).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build()));
    }

    private HttpResponse<String> get(IngestService target, String token, String id, String query) throws Exception {
        return record("GET /v1/queries/{id}", send(target, request(token, "/v1/queries/" + id + query)
                .header("X-Forwarded-For", clientAddress).GET().build()));
    }

    private HttpResponse<String> record(String route, HttpResponse<String> response) {
        seen.add(route + " " + response.statusCode());
        return response;
    }

    private HttpRequest.Builder request(String token, String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private HttpResponse<String> send(IngestService target, HttpRequest request) throws Exception {
        HttpRequest retargeted = HttpRequest.newBuilder(request, (name, value) -> true)
                .uri(URI.create("http://127.0.0.1:" + target.port() + request.uri().getRawPath()
                        + (request.uri().getRawQuery() == null ? "" : "?" + request.uri().getRawQuery()))).build();
        return http.send(retargeted, HttpResponse.BodyHandlers.ofString());
    }

    private long countQueries() {
        return readAll(topics.queries()).size();
    }

    private List<ConsumerRecord<String, byte[]>> queriesWith(String id) {
        return readAll(topics.queries()).stream().filter(r -> EventSerdes.querySubmitted().deserializer()
                .deserialize("", r.value()).queryId().equals(id)).toList();
    }

    private List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "it-" + UUID.randomUUID());
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
