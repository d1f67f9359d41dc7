package dev.parapet.detector.rules;

import dev.parapet.events.topic.TopicCatalog;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the detection topology needs.
 *
 * @param topics             topic names
 * @param rules              every rule's threshold and window
 * @param extractionPrefixes content-rule id prefixes that make a flagged query extraction-style
 * @param autoRevoke         whether a critical anomaly writes a time-limited revocation
 * @param autoRevokeFor      how long such a revocation lasts
 */
public record DetectorSettings(TopicCatalog topics, Map<DetectionRule, RuleSettings> rules, List<String> extractionPrefixes,
                               boolean autoRevoke, Duration autoRevokeFor) {

    /** Content-rule families of the built-in pack: injection, jailbreak, system-prompt and secret extraction. */
    public static final List<String> DEFAULT_EXTRACTION_PREFIXES = List.of("PI-", "JB-", "SPE-", "SEC-");

    public DetectorSettings {
        Objects.requireNonNull(topics, "topics can't be null");
        Objects.requireNonNull(autoRevokeFor, "autoRevokeFor can't be null");
        Map<DetectionRule, RuleSettings> all = new EnumMap<>(DetectionRule.class);
        all.putAll(rules);
        rules = all;
        for (DetectionRule rule : DetectionRule.values()) {
            rules.putIfAbsent(rule, RuleSettings.defaults(rule));
        }
        rules = Map.copyOf(rules);
        extractionPrefixes = List.copyOf(extractionPrefixes);
    }

    /** Every rule at its default, auto-response off. */
    public static DetectorSettings defaults(TopicCatalog topics) {
        return new DetectorSettings(topics, Map.of(), DEFAULT_EXTRACTION_PREFIXES, false, Duration.ofHours(1));
    }

    public RuleSettings rule(DetectionRule rule) {
        return rules.get(rule);
    }

    /** The longest window of any rule: how long an idle entity's state is worth keeping. */
    public Duration longestWindow() {
        return Arrays.stream(DetectionRule.values()).map(r -> rules.get(r).window()).max(Duration::compareTo).orElseThrow();
    }
}
