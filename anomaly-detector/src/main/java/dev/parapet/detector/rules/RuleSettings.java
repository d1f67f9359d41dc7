package dev.parapet.detector.rules;

import java.time.Duration;
import java.util.Objects;

/**
 * One rule's threshold and window.
 *
 * @param rule      the rule
 * @param threshold count at which it alerts
 * @param window    the sliding window the count covers; also how long the entity stays quiet after an alert
 */
public record RuleSettings(DetectionRule rule, int threshold, Duration window) {

    public RuleSettings {
        Objects.requireNonNull(rule, "rule can't be null");
        Objects.requireNonNull(window, "window can't be null");
        if (threshold < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException(rule + ": threshold must be at least 1 and the window positive");
        }
    }

    public static RuleSettings defaults(DetectionRule rule) {
        return new RuleSettings(rule, rule.defaultThreshold(), rule.defaultWindow());
    }
}
