package dev.parapet.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parapet.events.codec.Json;
import dev.parapet.events.topic.TopicCatalog;
import dev.parapet.infra.kafka.KafkaCluster;
import dev.parapet.infra.kafka.TopicReader;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What the demo's traffic produced, read back from the topics as a read_committed consumer sees them.
 *
 * @param policyDecisions the policy stage's decisions
 * @param workerDecisions the worker's decisions
 * @param anomalies       the alerts
 */
record DemoOutcome(List<JsonNode> policyDecisions, List<JsonNode> workerDecisions, List<JsonNode> anomalies) {

    /** Rules that must fire in the demo: every rule but CANARY_LEAK. */
    static final Set<String> EXPECTED_RULES = Set.of("REPEATED_BLOCKED", "EXTRACTION_PROBING", "INVALID_TOKEN_BURST", "TOKEN_SHARING",
            "RATE_LIMIT_STORM");

    static DemoOutcome read(KafkaCluster kafka, TopicCatalog topics) {
        List<JsonNode> decisions = TopicReader.readAll(kafka, topics.decisions()).stream().map(DemoOutcome::json).toList();
        List<JsonNode> anomalies = TopicReader.readAll(kafka, topics.anomalies()).stream().map(DemoOutcome::json).toList();
        return new DemoOutcome(
                decisions.stream().filter(d -> "policy".equals(d.path("parapet").path("stage").asText())).toList(),
                decisions.stream().filter(d -> "worker".equals(d.path("parapet").path("stage").asText())).toList(),
                anomalies);
    }

    /** Whether the pipeline has caught up: a policy decision per accepted query, a worker answer per approval, every expected rule fired. */
    boolean complete(int accepted) {
        return policyDecisions.size() >= accepted && workerDecisions.size() >= approved() && firedRules().containsAll(EXPECTED_RULES)
                && anomalies.stream().anyMatch(a -> a.path("rule").path("id").asText().equals("EXTRACTION_PROBING")
                && a.path("parapet").path("entity_id").asText().equals("eve"));
    }

    long approved() {
        return policyDecisions.stream().filter(d -> d.path("event").path("type").toString().contains("allowed")).count();
    }

    long flagged() {
        return policyDecisions.stream().filter(d -> d.path("event").path("action").asText().equals("query.flagged")).count();
    }

    /** Reason code to count, for blocked policy decisions. */
    Map<String, Long> blockedByReason() {
        return policyDecisions.stream().filter(d -> d.path("event").path("type").toString().contains("denied"))
                .collect(Collectors.groupingBy(d -> d.path("parapet").path("reason_code").asText(), TreeMap::new, Collectors.counting()));
    }

    Set<String> firedRules() {
        return anomalies.stream().map(a -> a.path("rule").path("id").asText()).collect(Collectors.toSet());
    }

    /** Anomalies about any of {@code users}: must be none. */
    List<JsonNode> anomaliesAbout(List<String> users) {
        return anomalies.stream().filter(a -> users.contains(a.path("parapet").path("entity_id").asText())).toList();
    }

    private static JsonNode json(ConsumerRecord<String, byte[]> record) {
        try {
            return Json.mapper().readTree(record.value());
        } catch (IOException e) {
            return Json.mapper().createObjectNode();
        }
    }
}
