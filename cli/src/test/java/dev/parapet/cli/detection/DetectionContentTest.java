package dev.parapet.cli.detection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parapet.detector.rules.DetectionRule;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped detection content agrees with Parapet's own detector: one Elastic Security rule and
 * one Sigma rule per detection rule, with its threshold, window, severity and risk score; and the
 * Prometheus alerting rules are well formed over documented metrics.
 */
class DetectionContentTest {

    /** The Parapet detection rule an Elastic rule mirrors, from its {@code Parapet rule: X} tag. */
    static String detectorRule(JsonNode rule) {
        for (JsonNode tag : rule.path("tags")) {
            if (tag.asText().startsWith("Parapet rule: ")) {
                return tag.asText().substring("Parapet rule: ".length());
            }
        }
        throw new AssertionError(rule.path("name").asText() + " has no 'Parapet rule: X' tag");
    }

    @Test
    void oneElasticRulePerDetectionRuleWithItsThresholdWindowSeverityAndRisk() {
        List<JsonNode> rules = DeployFiles.elasticRules();
        Map<DetectionRule, JsonNode> byRule = new HashMap<>();
        for (JsonNode rule : rules) {
            DetectionRule mirrored = DetectionRule.valueOf(detectorRule(rule));
            assertThat(byRule.put(mirrored, rule)).as("two rules mirror " + mirrored).isNull();
            String name = rule.path("name").asText();
            assertThat(rule.path("rule_id").asText()).as(name).matches("[0-9a-f-]{36}");
            assertThat(rule.path("type").asText()).as(name).isIn("query", "threshold");
            assertThat(rule.path("language").asText()).as(name).isEqualTo("lucene");
            assertThat(rule.path("index").get(0).asText()).isEqualTo("parapet-decisions*");
            assertThat(rule.path("severity").asText()).as(name).isEqualTo(mirrored.severity());
            assertThat(rule.path("risk_score").asDouble()).as(name).isEqualTo(mirrored.riskScore());
            assertThat(rule.path("description").asText()).isNotBlank();
            assertThat(rule.path("note").asText()).as(name + " has triage notes").startsWith("## Triage");
            assertThat(rule.path("threat")).as(name + " maps to MITRE").isNotEmpty()
                    .allSatisfy(t -> assertThat(t.path("framework").asText()).isIn("MITRE ATLAS", "MITRE ATT&CK"));
            rule.path("threat").forEach(t -> t.path("technique").forEach(tech -> {
                assertThat(tech.path("id").asText()).as(name + " technique").matches("AML\\.T\\d{4}|T\\d{4}");
                tech.path("subtechnique").forEach(sub -> assertThat(sub.path("id").asText()).as(name + " subtechnique")
                        .startsWith(tech.path("id").asText() + ".").matches("(AML\\.)?T\\d{4}\\.\\d{3}"));
            }));
            Duration lookBack = Duration.parse("PT" + rule.path("from").asText().substring("now-".length()).toUpperCase());
            Duration interval = Duration.parse("PT" + rule.path("interval").asText().toUpperCase());
            if (mirrored == DetectionRule.CANARY_LEAK) {
                assertThat(rule.path("type").asText()).isEqualTo("query");
                assertThat(lookBack).as(name + " overlaps its runs").isGreaterThan(interval);
            } else {
                assertThat(lookBack).as(name + " looks back over the rule's window").isEqualTo(mirrored.defaultWindow());
                assertThat(interval).as(name + " runs at least once per window").isLessThanOrEqualTo(lookBack);
                JsonNode threshold = rule.path("threshold");
                if (mirrored.countsDistinctAddresses()) {
                    assertThat(threshold.path("value").asInt()).as(name + " counts every group").isOne();
                    assertThat(threshold.path("cardinality").path(0).path("field").asText()).isEqualTo("source.ip");
                    assertThat(threshold.path("cardinality").path(0).path("value").asInt()).as(name + " distinct addresses")
                            .isEqualTo(mirrored.defaultThreshold());
                } else {
                    assertThat(threshold.path("value").asInt()).as(name + " threshold").isEqualTo(mirrored.defaultThreshold());
                    assertThat(threshold.has("cardinality")).as(name + " counts events, not distinct values").isFalse();
                }
            }
        }
        assertThat(byRule.keySet()).containsExactlyInAnyOrder(DetectionRule.values());
    }

    @Test
    void everyCorrelationOrSingleSigmaRuleMirrorsADetectionRuleAndEveryBaseRuleIsUsed() {
        Map<String, DetectionRule> byId = new HashMap<>();
        DeployFiles.elasticRules().forEach(r -> byId.put(r.path("rule_id").asText(), DetectionRule.valueOf(detectorRule(r))));
        Set<DetectionRule> mirrored = new HashSet<>();
        Set<String> baseNames = new HashSet<>();
        Set<String> usedBases = new HashSet<>();
        for (JsonNode doc : DeployFiles.sigmaDocuments()) {
            String title = doc.path("title").asText();
            assertThat(title).isNotBlank();
            assertThat(doc.path("id").asText()).as(title).matches("[0-9a-f-]{36}");
            assertThat(doc.path("status").asText()).as(title).isIn("experimental", "test", "stable");
            assertThat(doc.path("level").asText()).as(title).isIn("informational", "low", "medium", "high", "critical");
            if (doc.has("detection")) {
                assertThat(doc.path("logsource").path("product").asText()).isEqualTo("parapet");
                SigmaQuery.of(doc); // the condition parses and names only defined selections
                if (doc.has("name")) {
                    baseNames.add(doc.path("name").asText());
                }
            }
            DetectionRule rule = byId.get(doc.path("id").asText());
            if (rule == null) {
                assertThat(doc.path("level").asText()).as(title + " is a base rule").isEqualTo("informational");
                continue;
            }
            assertThat(mirrored.add(rule)).as("two Sigma rules mirror " + rule).isTrue();
            assertThat(doc.path("level").asText()).as(title).isEqualTo(rule.severity());
            JsonNode correlation = doc.path("correlation");
            if (correlation.isMissingNode()) {
                assertThat(rule.defaultThreshold()).as(title + " fires on one event").isOne();
            } else {
                usedBases.add(correlation.path("rules").get(0).asText());
                assertThat(correlation.path("condition").path("gte").asInt()).as(title).isEqualTo(rule.defaultThreshold());
                assertThat(Duration.parse("PT" + correlation.path("timespan").asText().toUpperCase())).as(title).isEqualTo(rule.defaultWindow());
                assertThat(correlation.path("type").asText()).isEqualTo(rule.countsDistinctAddresses() ? "value_count" : "event_count");
            }
        }
        assertThat(mirrored).containsExactlyInAnyOrder(DetectionRule.values());
        assertThat(usedBases).isEqualTo(baseNames);
    }

    @Test
    void prometheusAlertsAreWellFormedAndUseOnlyDocumentedParapetMetrics() throws Exception {
        JsonNode file = DeployFiles.yaml(DeployFiles.DEPLOY.resolve("prometheus/parapet-alerts.yml")).get(0);
        String operations = Files.readString(DeployFiles.DEPLOY.resolve("../docs/OPERATIONS.md"));
        Set<String> alerts = new HashSet<>();
        Pattern metric = Pattern.compile("\\b(parapet_[a-z_]+|kafka_[a-z_]+)\\b");
        for (JsonNode group : file.path("groups")) {
            assertThat(group.path("name").asText()).isNotBlank();
            for (JsonNode rule : group.path("rules")) {
                String alert = rule.path("alert").asText();
                assertThat(alert).matches("Parapet[A-Za-z]+");
                assertThat(alerts.add(alert)).as("duplicate alert " + alert).isTrue();
                String expr = rule.path("expr").asText();
                assertThat(expr).as(alert).isNotBlank();
                assertThat(balanced(expr)).as(alert + " parentheses and braces balance").isTrue();
                assertThat(rule.path("for").asText("0m")).as(alert).matches("\\d+[smh]");
                assertThat(rule.path("labels").path("severity").asText()).as(alert).isIn("warning", "critical");
                assertThat(rule.path("annotations").path("summary").asText()).as(alert).isNotBlank();
                assertThat(rule.path("annotations").path("description").asText()).as(alert).isNotBlank();
                Matcher m = metric.matcher(expr);
                while (m.find()) {
                    String base = m.group(1).replaceAll("_(count|bucket|sum)$", "");
                    assertThat(operations).as(alert + " uses " + base + ", which docs/OPERATIONS.md must list").contains("`" + base + "`");
                }
            }
        }
        assertThat(alerts).contains("ParapetStreamNotRunning", "ParapetIndexingLag", "ParapetLlmBreakerOpen", "ParapetDeadLettersGrowing");
    }

    private static boolean balanced(String expr) {
        int round = 0;
        int curly = 0;
        for (char c : expr.toCharArray()) {
            round += c == '(' ? 1 : c == ')' ? -1 : 0;
            curly += c == '{' ? 1 : c == '}' ? -1 : 0;
            if (round < 0 || curly < 0) {
                return false;
            }
        }
        return round == 0 && curly == 0 && Arrays.stream(expr.split("\"")).count() % 2 == 1;
    }
}
