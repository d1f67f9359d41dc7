package dev.parapet.detector.ops;

import dev.parapet.detector.rules.DetectionRule;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code parapet_detector_anomalies_total{rule,severity}}: anomalies the detector emitted, one
 * series per rule from the start (zero until the rule fires). Counted when processed; a
 * transaction that aborts and is retried counts again.
 */
public final class DetectorMetrics implements Consumer<DetectionRule> {

    private final Map<DetectionRule, Counter> anomalies = new EnumMap<>(DetectionRule.class);

    public DetectorMetrics(MeterRegistry registry) {
        for (DetectionRule rule : DetectionRule.values()) {
            anomalies.put(rule, Counter.builder("parapet.detector.anomalies").description("anomalies emitted, by rule")
                    .tag("rule", rule.name()).tag("severity", rule.severity()).register(registry));
        }
    }

    @Override
    public void accept(DetectionRule rule) {
        anomalies.get(rule).increment();
    }
}
