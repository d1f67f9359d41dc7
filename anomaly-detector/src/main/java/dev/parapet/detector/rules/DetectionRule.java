package dev.parapet.detector.rules;

import java.time.Duration;

/**
 * The detection rules, with their defaults. Each counts one kind of decision per entity in a
 * sliding window and alerts when the count reaches the threshold.
 */
public enum DetectionRule {
    REPEATED_BLOCKED("Repeated blocked queries", "user", "medium", 47, 5, Duration.ofMinutes(10)),
    EXTRACTION_PROBING("Extraction-style probing", "user", "high", 73, 3, Duration.ofMinutes(10)),
    INVALID_TOKEN_BURST("Burst of invalid tokens from one address", "ip", "high", 73, 10, Duration.ofMinutes(5)),
    TOKEN_SHARING("One token used from several addresses", "token", "critical", 90, 3, Duration.ofMinutes(10)),
    RATE_LIMIT_STORM("Rate-limit storm", "user", "low", 21, 20, Duration.ofMinutes(5)),
    CANARY_LEAK("Canary leaked in model output", "user", "critical", 99, 1, Duration.ofMinutes(10));

    private final String title;
    private final String entityType;
    private final String severity;
    private final double riskScore;
    private final int defaultThreshold;
    private final Duration defaultWindow;

    DetectionRule(String title, String entityType, String severity, double riskScore, int defaultThreshold, Duration defaultWindow) {
        this.title = title;
        this.entityType = entityType;
        this.severity = severity;
        this.riskScore = riskScore;
        this.defaultThreshold = defaultThreshold;
        this.defaultWindow = defaultWindow;
    }

    public String title() {
        return title;
    }

    /** {@code user}, {@code ip} or {@code token}. */
    public String entityType() {
        return entityType;
    }

    /** {@code low}, {@code medium}, {@code high} or {@code critical}. */
    public String severity() {
        return severity;
    }

    /** ECS {@code event.severity}: 1 low to 4 critical. */
    public int severityLevel() {
        return switch (severity) {
            case "low" -> 1;
            case "medium" -> 2;
            case "high" -> 3;
            default -> 4;
        };
    }

    public double riskScore() {
        return riskScore;
    }

    public int defaultThreshold() {
        return defaultThreshold;
    }

    public Duration defaultWindow() {
        return defaultWindow;
    }

    /** Whether the rule counts distinct source addresses rather than decisions. */
    public boolean countsDistinctAddresses() {
        return this == TOKEN_SHARING;
    }
}
