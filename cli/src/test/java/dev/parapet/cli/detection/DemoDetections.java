package dev.parapet.cli.detection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parapet.events.codec.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs every shipped Elastic Security rule and Sigma rule, translated to the query DSL, against
 * Elasticsearch after {@code parapet demo}, and checks each flags exactly the entities Parapet's
 * own detector raised anomalies for, and that every piece of the detector's evidence is among the
 * events the rule's query matches.
 */
public final class DemoDetections {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String elasticsearch;
    private final Map<String, Set<String>> anomalies = new HashMap<>();
    private final Map<String, Set<String>> evidence = new HashMap<>();
    private String latest;

    public DemoDetections(String elasticsearch) {
        this.elasticsearch = elasticsearch;
    }

    /** Asserts every rule; returns how many rules were checked. */
    public int verify() throws Exception {
        JsonNode found = search("parapet-anomalies", Json.mapper().readTree("{\"size\":100,\"query\":{\"match_all\":{}}}"));
        for (JsonNode hit : found.path("hits").path("hits")) {
            JsonNode a = hit.path("_source");
            String rule = a.path("rule").path("id").asText();
            anomalies.computeIfAbsent(rule, r -> new HashSet<>()).add(a.path("parapet").path("entity_id").asText());
            a.path("parapet").path("evidence").forEach(e -> evidence.computeIfAbsent(rule, r -> new HashSet<>()).add(e.asText()));
        }
        assertThat(anomalies).as("the demo's anomalies and the injected canary leak").containsOnlyKeys("REPEATED_BLOCKED",
                "EXTRACTION_PROBING", "INVALID_TOKEN_BURST", "TOKEN_SHARING", "RATE_LIMIT_STORM", "CANARY_LEAK");
        // windows are anchored at the last decision, as if each rule ran right after the demo
        latest = search("parapet-decisions", Json.mapper().readTree("{\"size\":0,\"aggs\":{\"last\":{\"max\":{\"field\":\"@timestamp\"}}}}"))
                .path("aggregations").path("last").path("value_as_string").asText();
        Map<String, String> detectorRuleById = new HashMap<>();
        int checked = 0;
        for (JsonNode rule : DeployFiles.elasticRules()) {
            String detectorRule = DetectionContentTest.detectorRule(rule);
            detectorRuleById.put(rule.path("rule_id").asText(), detectorRule);
            ObjectNode query = Json.mapper().createObjectNode();
            query.putObject("query_string").put("query", rule.path("query").asText()).put("analyze_wildcard", true);
            JsonNode threshold = rule.path("threshold");
            String entity = threshold.isMissingNode() ? "user.id" : threshold.path("field").get(0).asText();
            int atLeast = threshold.isMissingNode() ? 1 : threshold.path("value").asInt();
            JsonNode cardinality = threshold.path("cardinality").path(0);
            check("Elastic rule " + rule.path("name").asText(), detectorRule, query, rule.path("from").asText(), entity, atLeast,
                    cardinality.path("field").asText(null), cardinality.path("value").asInt(0));
            checked++;
        }
        List<JsonNode> sigma = DeployFiles.sigmaDocuments();
        Map<String, JsonNode> baseByName = new HashMap<>();
        sigma.stream().filter(d -> d.has("detection")).forEach(d -> baseByName.put(d.path("name").asText(d.path("id").asText()), d));
        for (JsonNode document : sigma) {
            String detectorRule = detectorRuleById.get(document.path("id").asText());
            if (detectorRule == null) {
                continue; // a base rule, counted by its correlation
            }
            JsonNode correlation = document.path("correlation");
            if (correlation.isMissingNode()) {
                check("Sigma rule " + document.path("title").asText(), detectorRule, SigmaQuery.of(document), "now-10m", "user.id", 1, null, 0);
            } else {
                JsonNode base = baseByName.get(correlation.path("rules").get(0).asText());
                assertThat(base).as("base rule of " + document.path("title").asText()).isNotNull();
                boolean distinct = correlation.path("type").asText().equals("value_count");
                int gte = correlation.path("condition").path("gte").asInt();
                check("Sigma rule " + document.path("title").asText(), detectorRule, SigmaQuery.of(base),
                        "now-" + correlation.path("timespan").asText(), correlation.path("group-by").get(0).asText(),
                        distinct ? 1 : gte, distinct ? correlation.path("condition").path("field").asText() : null, distinct ? gte : 0);
            }
            checked++;
        }
        return checked;
    }

    private void check(String what, String detectorRule, ObjectNode ruleQuery, String from, String entity, int atLeast, String distinctField,
                       int distinctAtLeast) throws IOException, InterruptedException {
        ObjectNode body = Json.mapper().createObjectNode().put("size", 0);
        ObjectNode bool = body.putObject("query").putObject("bool");
        bool.putArray("filter").add(ruleQuery).addObject().putObject("range").putObject("@timestamp")
                .put("gte", latest + "||-" + from.substring("now-".length())).put("lte", latest);
        ObjectNode terms = body.putObject("aggs").putObject("entity");
        terms.putObject("terms").put("field", entity).put("size", 1000).put("min_doc_count", atLeast);
        if (distinctField != null) {
            terms.putObject("aggs").putObject("distinct").putObject("cardinality").put("field", distinctField);
        }
        terms.withObject("aggs").putObject("events").putObject("terms").put("field", "event.id").put("size", 1000);
        Set<String> flagged = new HashSet<>();
        Set<String> matchedEvents = new HashSet<>();
        for (JsonNode bucket : search("parapet-decisions", body).path("aggregations").path("entity").path("buckets")) {
            if (distinctField == null || bucket.path("distinct").path("value").asInt() >= distinctAtLeast) {
                flagged.add(bucket.path("key").asText());
                bucket.path("events").path("buckets").forEach(e -> matchedEvents.add(e.path("key").asText()));
            }
        }
        assertThat(flagged).as(what + " flags what Parapet's " + detectorRule + " raised")
                .isEqualTo(anomalies.getOrDefault(detectorRule, Set.of()));
        assertThat(matchedEvents).as(what + " matches the detector's evidence").containsAll(evidence.getOrDefault(detectorRule, Set.of()));
    }

    private JsonNode search(String index, JsonNode body) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(elasticsearch + "/" + index + "/_search"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("Elasticsearch refused the rule's query (" + response.statusCode() + "): " + response.body() + "\n" + body);
        }
        return Json.mapper().readTree(response.body());
    }
}
