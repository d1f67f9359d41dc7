package dev.parapet.cli.playground;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parapet.events.codec.Json;
import dev.parapet.events.config.EnvReader;
import dev.parapet.events.topic.TopicBootstrap;
import dev.parapet.events.topic.TopicCatalog;
import dev.parapet.infra.junit.SharedKafka;
import dev.parapet.infra.kafka.KafkaCluster;
import dev.parapet.infra.llm.ScriptedOpenAiServer;
import dev.parapet.ingest.app.IngestConfig;
import dev.parapet.ingest.app.IngestService;
import dev.parapet.policy.app.PolicyConfig;
import dev.parapet.policy.app.PolicyService;
import dev.parapet.worker.app.WorkerConfig;
import dev.parapet.worker.app.WorkerService;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
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
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The playground in a real browser (Debian's chromium driven by playwright-core) against the real
 * edge, policy stage and worker on the shared broker, with the model played on 127.0.0.1. The
 * checks themselves are in {@code src/test/playwright/playground.mjs}; screenshots go to
 * {@code target/playground-screenshots}.
 */
@ExtendWith(SharedKafka.class)
class PlaygroundBrowserIT {

    static final String SECRET = "playground-it-secret-0123456789abcdef0123456789abcdef012345";
    static final Path SCRIPTS = Path.of("src", "test", "playwright");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path state;

    @Test
    void aPersonAsksSeesAnswersBlocksAndFailuresRenderedInertAndOnlyTheirOwnHistory(KafkaCluster kafka) throws Exception {
        requireBrowser();
        // Given: the stack, and a model that answers bob, then alice (with an e-mail address), then with markup, then fails
        TopicCatalog topics = new TopicCatalog("pg" + UUID.randomUUID().toString().substring(0, 8) + ".", 3, Optional.empty());
        try (Admin admin = kafka.admin()) {
            new TopicBootstrap(admin, Duration.ofSeconds(30)).apply(topics.specs());
        }
        try (ScriptedOpenAiServer model = new ScriptedOpenAiServer()) {
            model.script(ScriptedOpenAiServer.Step.answer("We open at nine."),
                    ScriptedOpenAiServer.Step.answer("Refunds are accepted within 30 days. Write to billing@example.com for help."),
                    ScriptedOpenAiServer.Step.answer("Here: <script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\"> done"),
                    ScriptedOpenAiServer.Step.status(500));
            Map<String, String> env = env(kafka, topics, model);
            try (PolicyService policy = PolicyService.start(PolicyConfig.from(EnvReader.of(env), Optional.empty()), Clock.systemUTC(),
                         Duration.ofMinutes(2));
                 WorkerService worker = WorkerService.start(WorkerConfig.from(EnvReader.of(env)), Clock.systemUTC());
                 IngestService edge = IngestService.start(IngestConfig.from(EnvReader.of(env), Optional.empty()), Clock.systemUTC(),
                         Duration.ofSeconds(60))) {
                String base = "http://127.0.0.1:" + edge.port();
                String bobQuery = askAsBob(base);

                // When
                Path shots = Path.of("target", "playground-screenshots");
                ProcessBuilder node = new ProcessBuilder("node", "playground.mjs").directory(SCRIPTS.toFile()).redirectErrorStream(true);
                node.environment().putAll(Map.of("BASE_URL", base, "TOKEN_ALICE", token("alice", SECRET),
                        "TOKEN_FORGED", token("mallory", "forged-secret-0123456789abcdef0123456789abcdef0123456789abcd"),
                        "BOB_QUERY_ID", bobQuery, "SHOT_DIR", shots.toAbsolutePath().toString()));
                Process run = node.start();
                String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                boolean ended = run.waitFor(4, TimeUnit.MINUTES);
                System.out.println(output);

                // Then
                assertThat(ended).as("the browser run ends within 4 minutes").isTrue();
                assertThat(run.exitValue()).as(output).isZero();
                assertThat(output).doesNotContain("FAIL").contains("ok   a benign question ends answered",
                        "ok   an injection ends blocked", "ok   no script from the answer ran", "ok   history never shows bob's query");
                assertThat(shots.resolve("playground-answered.png")).isNotEmptyFile();
                assertThat(shots.resolve("playground-blocked.png")).isNotEmptyFile();
                assertThat(shots.resolve("playground-failed.png")).isNotEmptyFile();
            }
        }
    }

    /** Runs only where the browser and the npm package are installed; in CI (CI set) their absence fails the test. */
    private static void requireBrowser() {
        boolean ready = Files.isExecutable(CHROMIUM) && Files.isDirectory(SCRIPTS.resolve("node_modules/playwright-core"));
        String missing = "needs Debian's chromium (/usr/bin/chromium) and 'npm ci --prefix cli/src/test/playwright'; .ci/run installs both";
        if (System.getenv("CI") != null) {
            assertThat(ready).as(missing).isTrue();
        }
        Assumptions.assumeTrue(ready, missing);
    }

    private static String askAsBob(String base) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String bob = token("bob", SECRET);
        HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/queries"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + bob)
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"When do you open?\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = Json.mapper().readTree(accepted.body()).path("id").asText();
        JsonNode outcome = Json.mapper().readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/v1/queries/" + id + "?wait=30s"))
                .header("Authorization", "Bearer " + bob).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(outcome.path("status").asText()).as(outcome.toString()).isEqualTo("answered");
        return id;
    }

    private Map<String, String> env(KafkaCluster kafka, TopicCatalog topics, ScriptedOpenAiServer model) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("SECRET_KEY", SECRET);
        env.put("PARAPET_TOPIC_PREFIX", topics.prefix());
        env.put("PARAPET_STATE_DIR", state.toString());
        env.put("PARAPET_POLICY_APPLICATION_ID", topics.prefix() + "policy");
        env.put("PARAPET_INGEST_APPLICATION_ID", topics.prefix() + "ingest");
        env.put("PARAPET_WORKER_GROUP", topics.prefix() + "worker");
        env.put("PARAPET_API_HOST", "127.0.0.1");
        env.put("PARAPET_API_PORT", "0");
        env.put("PARAPET_OPS_HOST", "127.0.0.1");
        env.put("PARAPET_OPS_PORT", "0");
        env.put("PARAPET_LLM_PROVIDER", "openai");
        env.put("OPENAI_API_KEY", "sk-test-not-a-real-key");
        env.put("PARAPET_LLM_BASE_URL", model.baseUrl());
        env.put("PARAPET_LLM_MODEL", "scripted-model");
        env.put("PARAPET_LLM_MAX_ATTEMPTS", "1");
        env.put("PARAPET_CANARY", "PRPT-00112233445566778899aabb");
        return env;
    }

    static String token(String user, String secret) {
        String nonce = UUID.randomUUID().toString().replace("-", "");
        Instant now = Instant.now();
        return Jwts.builder().claim("user_id", user).claim("roles", List.of("ai.playground.user")).claim("nonce", nonce).id(nonce)
                .issuedAt(Date.from(now.minusSeconds(5))).expiration(Date.from(now.plusSeconds(1800)))
                .signWith(Keys.hmacShaKeyFor(secret.getBytes(StandardCharsets.UTF_8)), Jwts.SIG.HS256).compact();
    }
}
