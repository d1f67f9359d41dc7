package dev.parapet.cli.kibana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parapet.events.codec.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs every shipped Lens panel and saved search against Elasticsearch after {@code parapet demo}
 * (plus one canary leak to eve, which the offline answerer cannot produce), and checks each shows
 * what the cast did: the buckets an analyst should see.
 */
public final class DemoDashboards {

    private final String elasticsearch;
    private final LensSearch search;
    private final Map<String, LensPanel> panels;
    private final List<SavedObject> objects = SavedObjectsFile.load(Optional.empty());

    public DemoDashboards(String elasticsearch) {
        this.elasticsearch = elasticsearch;
        Map<String, String> indices = objects.stream().filter(o -> o.type().equals("index-pattern"))
                .collect(Collectors.toMap(SavedObject::id, o -> o.attributes().path("title").asText()));
        this.search = new LensSearch(elasticsearch, indices);
        this.panels = objects.stream().filter(o -> o.type().equals("lens")).map(LensPanel::of)
                .collect(Collectors.toMap(LensPanel::id, p -> p));
    }

    /** Asserts every panel and saved search; returns how many rows the panels produced, for the log. */
    public int verify() throws Exception {
        int rows = 0;
        rows += expect("parapet-lens-decisions-over-time", List.of(), "a", Set.of("query.approved", "query.flagged", "query.blocked", "llm.answered"));
        rows += expect("parapet-lens-blocks-by-reason", List.of(), "r",
                Set.of("PROMPT_INJECTION", "JAILBREAK", "EXTRACTION_ATTEMPT", "RATE_LIMITED", "TOKEN_SIGNATURE_INVALID"));
        Set<String> blockedUsers = keys("parapet-lens-top-blocked-users", List.of(), "u");
        assertThat(blockedUsers).as("top blocked users").contains("mallory", "frank").doesNotContain("alice", "bob", "chen", "dana");
        rows += blockedUsers.size();
        rows += expect("parapet-lens-top-blocked-sources", List.of(), "s", Set.of("203.0.113.66", "10.20.0.1", "10.30.0.1"));
        assertThat(keys("parapet-lens-rate-limit-hits", List.of(), "r")).as("rate-limit hits").containsExactly("RATE_LIMITED");
        assertThat(keys("parapet-lens-token-failures", List.of(), "r")).as("token failures").containsExactly("TOKEN_SIGNATURE_INVALID");
        assertThat(keys("parapet-lens-content-rule-hits", List.of(), "r")).as("content rule hits").isNotEmpty()
                .allMatch(id -> id.matches("[A-Z]+-\\d{3}"));
        rows += expect("parapet-lens-model-bands", List.of(), "b", Set.of("high", "low"));
        assertThat(keys("parapet-lens-anomalies-by-rule", List.of(), "r")).as("anomalies by rule").containsExactlyInAnyOrder(
                "REPEATED_BLOCKED", "EXTRACTION_PROBING", "INVALID_TOKEN_BURST", "TOKEN_SHARING", "RATE_LIMIT_STORM", "CANARY_LEAK");
        assertThat(keys("parapet-lens-anomalies-by-rule", List.of(), "s")).containsExactlyInAnyOrder("low", "medium", "high", "critical");
        Set<String> evidence = keys("parapet-lens-anomaly-evidence", List.of(), "d");
        assertThat(evidence).as("evidence decision ids").hasSizeGreaterThanOrEqualTo(10);
        assertThat(decisionIds(evidence)).as("every evidence id is an indexed decision").isEqualTo(evidence);
        List<Map<String, Object>> latency = search.run(panels.get("parapet-lens-llm-latency"), List.of());
        assertThat(latency).as("LLM latency").isNotEmpty().allSatisfy(r -> assertThat((Double) r.get("p95")).isPositive());
        List<Map<String, Object>> usage = search.run(panels.get("parapet-lens-llm-tokens"), List.of());
        assertThat(usage.stream().mapToDouble(r -> (Double) Objects.requireNonNullElse(r.get("i"), 0.0)).sum()).as("input tokens").isPositive();
        assertThat(search.run(panels.get("parapet-lens-provider-errors"), List.of())).as("the demo's offline provider never fails").isEmpty();
        assertThat(keys("parapet-lens-decisions-over-time", List.of(), "a")).as("the withheld answer").contains("llm.output_blocked");
        assertThat(search.run(panels.get("parapet-lens-output-guard"), List.of())).as("the canary leaked to eve")
                .extracting(r -> r.get("r") + "/" + r.get("u")).containsExactly("CANARY_LEAK/eve");
        List<Map<String, Object>> chain = search.run(panels.get("parapet-lens-audit-coverage"), List.of());
        assertThat(chain).extracting(r -> r.get("f") + "/" + r.get("s")).containsExactlyInAnyOrder("chained/policy", "unchained/worker");
        List<Map<String, Object>> links = search.run(panels.get("parapet-lens-audit-links"), List.of());
        assertThat(links).as("links per partition").isNotEmpty().allSatisfy(r -> assertThat(r.get("c")).isEqualTo(r.get("m")));

        // the user view, as the drill-down opens it for mallory and for carol's leaked token
        assertThat(keys("parapet-lens-entity-reasons", List.of("user.id:mallory"), "r")).contains("PROMPT_INJECTION").doesNotContain("RATE_LIMITED");
        assertThat(keys("parapet-lens-entity-addresses", List.of("user.id:mallory"), "s")).containsExactly("10.20.0.1");
        List<Map<String, Object>> carol = search.run(panels.get("parapet-lens-entity-tokens"), List.of("user.id:carol"));
        assertThat(carol).singleElement().satisfies(r -> assertThat(r.get("a")).isEqualTo(3.0));
        assertThat(keys("parapet-lens-anomalies-by-rule", List.of("user.id:mallory"), "r"))
                .containsExactlyInAnyOrder("REPEATED_BLOCKED", "EXTRACTION_PROBING");

        // the saved searches an analyst starts from
        assertThat(count("parapet-search-blocked-24h")).as("43 policy blocks and the withheld answer").isEqualTo(44);
        assertThat(count("parapet-search-flagged")).isPositive();
        assertThat(count("parapet-search-canary-leaks")).isOne();
        assertThat(count("parapet-search-entity-decisions")).isGreaterThan(count("parapet-search-blocked-24h"));
        return rows;
    }

    private int expect(String panel, List<String> filters, String column, Set<String> mustShow) throws Exception {
        Set<String> shown = keys(panel, filters, column);
        assertThat(shown).as(panels.get(panel).title()).containsAll(mustShow);
        return shown.size();
    }

    private Set<String> keys(String panel, List<String> filters, String column) throws Exception {
        LensPanel lens = Objects.requireNonNull(panels.get(panel), panel);
        return search.run(lens, filters).stream().map(r -> String.valueOf(r.get(column))).collect(Collectors.toSet());
    }

    private long count(String searchId) throws Exception {
        SavedObject saved = objects.stream().filter(o -> o.id().equals(searchId)).findFirst().orElseThrow();
        JsonNode source = Json.mapper().readTree(saved.attributes().path("kibanaSavedObjectMeta").path("searchSourceJSON").asText());
        return search.count(saved.references().get(0).path("id").asText(), source.path("query").path("query").asText(),
                saved.attributes().path("timeRange").path("from").asText());
    }

    private Set<String> decisionIds(Set<String> ids) throws Exception {
        String body = Json.mapper().createObjectNode().put("size", ids.size())
                .set("query", Json.mapper().createObjectNode().set("terms", Json.mapper().createObjectNode()
                        .set("event.id", Json.mapper().valueToTree(ids)))).toString();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(elasticsearch + "/parapet-decisions/_search"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        Set<String> found = new HashSet<>();
        Json.mapper().readTree(response.body()).path("hits").path("hits").forEach(h -> found.add(h.path("_source").path("event").path("id").asText()));
        return found;
    }
}
