package dev.parapet.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parapet.cli.up.LocalStack;
import dev.parapet.cli.up.StackSession;
import dev.parapet.detector.index.ElasticsearchConnection;
import dev.parapet.events.topic.TopicCatalog;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code parapet demo}: the local stack, then a scripted cast through the HTTP API, then a
 * summary of what was blocked, which anomalies fired and where to look further. Exit 0 when every
 * expected rule fired and none for the benign users; 1 otherwise.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start the local stack, replay a scripted attack scenario through the API, and explain what Parapet saw.",
                "Stops everything at the end unless --keep-running."})
public final class DemoCommand implements Callable<Integer> {

    private static final long WAIT_MS = 60_000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--keep-running", description = "leave the stack running after the summary (Ctrl-C stops it)")
    private boolean keepRunning;

    @Option(names = "--es-heap", defaultValue = "384m", description = "Elasticsearch heap (default: ${DEFAULT-VALUE})")
    private String esHeap;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long begun = System.nanoTime();
        StackSession session = StackSession.start(out, esHeap, 3);
        try {
            LocalStack stack = session.stack();
            out.printf(Locale.ROOT, "parapet: stack ready in %.1f s (api %s)%n", session.startSeconds(), stack.apiUrl());
            List<DemoRequest> plan = DemoScenario.plan(session.signing(), Instant.now());
            int accepted = send(out, stack.apiUrl(), plan);
            DemoOutcome outcome = awaitOutcome(out, stack, accepted);
            boolean ok = summarise(out, stack, plan.size(), accepted, outcome, (System.nanoTime() - begun) / 1e9);
            if (keepRunning) {
                out.println("parapet: still running (--keep-running); Ctrl-C stops everything");
                out.flush();
                session.awaitStopped();
                return ok ? 0 : 1;
            }
            return ok ? 0 : 1;
        } finally {
            if (!keepRunning) {
                session.stop();
            }
        }
    }

    private int send(PrintWriter out, String apiUrl, List<DemoRequest> plan) throws Exception {
        DemoClient client = new DemoClient(apiUrl);
        Map<String, int[]> perActor = new LinkedHashMap<>();
        int accepted = 0;
        String current = null;
        for (DemoRequest r : plan) {
            if (!r.actor().equals(current) && current != null && !DemoScenario.BENIGN_USERS.contains(current)) {
                progress(out, current, perActor.get(current));
            }
            current = r.actor();
            int status = client.post(r);
            int[] counts = perActor.computeIfAbsent(r.actor(), a -> new int[2]);
            counts[0]++;
            if (status == 202) {
                counts[1]++;
                accepted++;
            }
        }
        progress(out, current, perActor.get(current));
        int benignSent = DemoScenario.BENIGN_USERS.stream().mapToInt(u -> perActor.get(u)[0]).sum();
        out.printf("  sent  benign users %s: %d queries%n", String.join(", ", DemoScenario.BENIGN_USERS), benignSent);
        out.printf("  HTTP answers: %s%n", client.statuses());
        out.flush();
        return accepted;
    }

    private static void progress(PrintWriter out, String actor, int[] counts) {
        String role = switch (actor) {
            case "mallory" -> "prompt-injection attacker";
            case "eve" -> "extraction prober (each query allowed)";
            case "forger" -> "token forger at " + DemoScenario.FORGER_ADDRESS;
            case "carol" -> "leaked token, used from 3 addresses";
            case "frank" -> "flooder";
            default -> "user";
        };
        out.printf("  sent  %-8s %-40s %3d queries%n", actor, role, counts[0]);
        out.flush();
    }

    private DemoOutcome awaitOutcome(PrintWriter out, LocalStack stack, int accepted) throws InterruptedException {
        out.print("parapet: waiting for decisions, answers and anomalies");
        out.flush();
        TopicCatalog topics = stack.topicCatalog();
        long deadline = System.currentTimeMillis() + WAIT_MS;
        DemoOutcome outcome = DemoOutcome.read(stack.kafka(), topics);
        while (!outcome.complete(accepted) && System.currentTimeMillis() < deadline) {
            Thread.sleep(1_000);
            out.print(".");
            out.flush();
            outcome = DemoOutcome.read(stack.kafka(), topics);
        }
        Thread.sleep(1_500);
        out.println();
        return DemoOutcome.read(stack.kafka(), topics);
    }

    private boolean summarise(PrintWriter out, LocalStack stack, int sent, int accepted, DemoOutcome o, double seconds) {
        out.println();
        out.println("=== What Parapet saw ===");
        out.printf("queries sent: %d (%d accepted by the API)%n", sent, accepted);
        out.printf("  approved: %d (%d of them flagged as extraction-style but allowed)%n", o.approved(), o.flagged());
        out.printf("  blocked:  %d%n", o.blockedByReason().values().stream().mapToLong(Long::longValue).sum());
        o.blockedByReason().forEach((reason, n) -> out.printf("    %-26s %d%n", reason, n));
        out.printf("  answered by the llm worker (offline retrieval): %d%n", o.workerDecisions().size());
        out.println("anomalies on security.anomalies:");
        for (JsonNode a : o.anomalies()) {
            out.printf("  %-20s %-8s %-6s %-16s count %d in %s window%n", a.path("rule").path("id").asText(),
                    a.path("parapet").path("severity").asText(), a.path("parapet").path("entity_type").asText(),
                    a.path("parapet").path("entity_id").asText(), a.path("parapet").path("count").asLong(),
                    windowOf(a));
        }
        List<JsonNode> benign = o.anomaliesAbout(DemoScenario.BENIGN_USERS);
        java.util.Set<String> missing = new java.util.TreeSet<>(DemoOutcome.EXPECTED_RULES);
        missing.removeAll(o.firedRules());
        out.printf("  benign users (%s): %s%n", String.join(", ", DemoScenario.BENIGN_USERS),
                benign.isEmpty() ? "no anomaly, as it should be" : benign.size() + " anomalies: a false positive");
        if (!missing.isEmpty()) {
            out.println("  MISSING: expected rules that did not fire: " + missing);
        }
        String es = stack.elasticsearch().url();
        out.printf("Elasticsearch (%s): %s%n", es, indexedCounts(es, o.policyDecisions().size() + o.workerDecisions().size()));
        out.println("look further" + (keepRunning ? ":" : " (run with --keep-running to keep the stack up):"));
        out.println("  curl -s '" + es + "/parapet-anomalies/_search?pretty&sort=@timestamp:desc'");
        out.println("  curl -s '" + es + "/parapet-decisions/_search?pretty&size=0' -H 'Content-Type: application/json' "
                + "-d '{\"aggs\":{\"by_reason\":{\"terms\":{\"field\":\"parapet.reason_code\"}}}}'");
        out.println("  curl -s '" + es + "/parapet-decisions/_search?pretty&q=parapet.claimed_user_id:mallory'");
        out.println("  ./parapet audit verify --source elasticsearch");
        String kibana = System.getenv("PARAPET_KIBANA_URL");
        out.println(kibana != null ? "  Kibana: ./parapet kibana import --url " + kibana + ", then open " + kibana
                + "/app/dashboards#/view/parapet-overview"
                : "  Kibana: docker-compose up kibana, then set PARAPET_KIBANA_URL and run ./parapet kibana import (see README)");
        boolean ok = missing.isEmpty() && benign.isEmpty();
        out.printf(Locale.ROOT, "demo %s in %.1f s%n", ok ? "finished" : "FAILED", seconds);
        out.flush();
        return ok;
    }

    private static String windowOf(JsonNode anomaly) {
        try {
            return java.time.Duration.between(Instant.parse(anomaly.path("parapet").path("window_start").asText()),
                    Instant.parse(anomaly.path("parapet").path("window_end").asText())).toMinutes() + " min";
        } catch (RuntimeException e) {
            return "?";
        }
    }

    /** Counts once the indexer has caught up with the decisions seen on the topic (up to 15 s). */
    private static String indexedCounts(String url, long decisionsOnTopic) {
        try (ElasticsearchConnection connection = new ElasticsearchConnection(url)) {
            var client = connection.client();
            long deadline = System.currentTimeMillis() + 15_000;
            long decisions;
            do {
                client.indices().refresh(r -> r.index("parapet-*"));
                decisions = client.count(c -> c.index("parapet-decisions")).count();
                if (decisions < decisionsOnTopic) {
                    Thread.sleep(500);
                }
            } while (decisions < decisionsOnTopic && System.currentTimeMillis() < deadline);
            long anomalies = client.count(c -> c.index("parapet-anomalies")).count();
            long responses = client.count(c -> c.index("parapet-responses")).count();
            return decisions + " decisions, " + anomalies + " anomalies, " + responses + " responses indexed";
        } catch (Exception e) {
            return "not reachable (" + e.getClass().getSimpleName() + ")";
        }
    }
}
