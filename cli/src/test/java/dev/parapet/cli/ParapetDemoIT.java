package dev.parapet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parapet.cli.detection.DemoDetections;
import dev.parapet.cli.kibana.DemoDashboards;
import dev.parapet.events.codec.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real {@code parapet demo} as a newcomer would. */
class ParapetDemoIT {

    @TempDir
    Path home;

    @Test
    void theDemoFiresEveryRuleButNoneForBenignUsersAndTheIndexedChainVerifiesUntilTampered() throws Exception {
        // Given
        Process demo = new ProcessBuilder(CliProcess.command(home, "demo", "--keep-running"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<ProcessHandle> tree = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
            // When
            List<String> lines = readUntil(out, "demo ", 180);
            String text = String.join("\n", lines);
            System.out.println(text);

            // Then: every rule but CANARY_LEAK fired, none for the benign users, within two minutes
            assertThat(lines.get(lines.size() - 1)).startsWith("demo finished in");
            Matcher took = Pattern.compile("demo finished in ([0-9.]+) s").matcher(text);
            assertThat(took.find()).isTrue();
            assertThat(Double.parseDouble(took.group(1))).isLessThan(120.0);
            assertThat(text).contains("REPEATED_BLOCKED", "EXTRACTION_PROBING", "INVALID_TOKEN_BURST", "TOKEN_SHARING", "RATE_LIMIT_STORM")
                    .contains("no anomaly, as it should be").doesNotContain("MISSING");
            assertThat(text).containsPattern("EXTRACTION_PROBING\\s+high\\s+user\\s+eve");
            assertThat(text).containsPattern("answered by the llm worker \\(offline retrieval\\): [1-9]");
            Matcher es = Pattern.compile("Elasticsearch \\((http://127\\.0\\.0\\.1:\\d+)\\): (\\d+) decisions, (\\d+) anomalies, (\\d+) responses")
                    .matcher(text);
            assertThat(es.find()).as("Elasticsearch counts line").isTrue();
            assertThat(Integer.parseInt(es.group(3))).isEqualTo(7);
            assertThat(Integer.parseInt(es.group(4))).as("every query's outcome indexed, blocked ones included").isEqualTo(125);

            // When: the model leaks the canary to eve (the offline answerer cannot, so the worker's decision is published
            // as the worker would publish it) and the detector raises CANARY_LEAK
            JsonNode stack = Json.mapper().readTree(home.resolve(".parapet/stack.json").toFile());
            publishCanaryLeak(stack.get("kafka_bootstrap_servers").asText(), "eve", "10.20.0.2");
            awaitCount(es.group(1) + "/parapet-anomalies/_count?q=rule.id:CANARY_LEAK", 1, 60);

            // Then: every shipped dashboard panel and saved search shows what the demo's cast did, and every
            // Elastic Security and Sigma rule flags exactly what Parapet's detector raised
            int rows = new DemoDashboards(es.group(1)).verify();
            int rules = new DemoDetections(es.group(1)).verify();
            System.out.printf("demo IT: dashboard panels returned %d expected buckets; %d SIEM rules agree with the detector%n", rows, rules);

            // and the hash chain verifies from the indexed documents
            CommandResult verified = run("audit", "verify", "--source", "elasticsearch");
            assertThat(verified.exit()).as(verified.output()).isZero();
            assertThat(verified.output()).contains("audit chain intact").containsPattern("[1-9]\\d* chained decisions verified");

            // When: an insider edits one indexed decision
            String url = es.group(1);
            tamper(url);

            // Then
            CommandResult broken = run("audit", "verify", "--source", "elasticsearch");
            assertThat(broken.exit()).as(broken.output()).isEqualTo(1);
            assertThat(broken.output()).contains("BROKEN").contains("ALTERED");

            // When: Ctrl-C
            demo.descendants().forEach(tree::add);
            CliProcess.interrupt(demo);
            assertThat(demo.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(CliProcess.readUntil(out, "stopped", 5)).isEqualTo("parapet: stopped");
        } finally {
            demo.destroyForcibly();
        }
        CliProcess.awaitDead(tree);
        assertThat(tree).noneMatch(ProcessHandle::isAlive);
        assertThat(CliProcess.runDirsOwnedBy(demo.pid())).isEmpty();
    }

    @Test
    void withoutKeepRunningTheDemoStopsEverythingByItself() throws Exception {
        Process demo = new ProcessBuilder(CliProcess.command(home, "demo")).redirectErrorStream(true).start();
        List<ProcessHandle> tree = new ArrayList<>();
        String output;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
            readUntil(out, "starting", 30);
            Thread.sleep(5_000);
            demo.descendants().forEach(tree::add);
            output = String.join("\n", readUntil(out, "parapet: stopped", 180));
            assertThat(demo.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            demo.destroyForcibly();
        }
        assertThat(demo.exitValue()).as(output).isZero();
        assertThat(output).contains("demo finished in");
        CliProcess.awaitDead(tree);
        assertThat(tree).isNotEmpty().noneMatch(ProcessHandle::isAlive);
        assertThat(CliProcess.runDirsOwnedBy(demo.pid())).isEmpty();
        assertThat(home.resolve(".parapet/stack.json")).doesNotExist();
    }

    /** A worker decision withholding an answer that leaked the canary, as {@code WorkerDecisions.withheld} builds it. */
    private static void publishCanaryLeak(String bootstrap, String user, String address) throws Exception {
        String queryId = "canary-" + java.util.UUID.randomUUID();
        dev.parapet.events.Decision leak = new dev.parapet.events.Decision(dev.parapet.events.SchemaVersion.CURRENT, java.time.Instant.now(),
                new dev.parapet.events.ecs.EcsEvent(java.util.UUID.nameUUIDFromBytes(("parapet-worker:" + queryId).getBytes(StandardCharsets.UTF_8))
                        .toString(), "event", List.of("intrusion_detection"), List.of("denied"), "llm.output_blocked", "failure",
                        "model output leaked the canary", 100.0, 4, 25_000_000L),
                new dev.parapet.events.ecs.EcsRule("OUTPUT-CANARY", "Deployment canary in model output"),
                new dev.parapet.events.ecs.EcsUser(user, List.of("ai.playground.user")), new dev.parapet.events.ecs.EcsSource(address), null,
                new dev.parapet.events.ecs.GenAi(new dev.parapet.events.ecs.GenAi.Request("it-model"), new dev.parapet.events.ecs.GenAi.Usage(12, 5)),
                new dev.parapet.events.DecisionDetails(queryId, "worker", "CANARY_LEAK", null, "0123456789abcdef", "it-jti",
                        List.of("OUTPUT-CANARY"), null, null, "0".repeat(64), null, java.util.Map.of(), null));
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(java.util.Map.<String, Object>of("bootstrap.servers", bootstrap),
                new org.apache.kafka.common.serialization.StringSerializer(), dev.parapet.events.codec.EventSerdes.decision().serializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("security.decisions", user, leak)).get(30, TimeUnit.SECONDS);
        }
    }

    private static void awaitCount(String countUrl, long atLeast, int seconds) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long count = -1;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(countUrl)).build(), HttpResponse.BodyHandlers.ofString());
            count = r.statusCode() == 200 ? Json.mapper().readTree(r.body()).path("count").asLong() : -1;
            if (count >= atLeast) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(countUrl + " counted " + count + ", expected at least " + atLeast + " within " + seconds + " s");
    }

    private record CommandResult(int exit, String output) {
    }

    private CommandResult run(String... args) throws Exception {
        Process p = new ProcessBuilder(CliProcess.command(home, args)).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new CommandResult(p.exitValue(), output);
    }

    /** Rewrites the source address of one chained decision in place, as an insider with index access could. */
    private static void tamper(String url) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> found = http.send(HttpRequest.newBuilder(URI.create(url + "/parapet-decisions/_search?size=1&q=parapet.stage:policy"))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode hit = Json.mapper().readTree(found.body()).path("hits").path("hits").get(0);
        assertThat(hit.path("_source").path("source").path("ip").asText()).isNotEqualTo("192.0.2.66");
        HttpResponse<String> updated = http.send(HttpRequest.newBuilder(URI.create(url + "/parapet-decisions/_update/" + hit.path("_id").asText()
                        + "?refresh=true"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"doc\":{\"source\":{\"ip\":\"192.0.2.66\"}}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
    }

    private static List<String> readUntil(BufferedReader out, String prefix, int seconds) throws IOException {
        List<String> lines = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (String line; System.nanoTime() < deadline && (line = out.readLine()) != null; ) {
            lines.add(line);
            if (prefix.startsWith("demo ") ? line.startsWith(prefix) : line.contains(prefix)) {
                return lines;
            }
        }
        throw new AssertionError("parapet demo never printed '" + prefix + "'; output so far:\n" + String.join("\n", lines));
    }
}
