package dev.parapet.detector.topology;

import dev.parapet.detector.rules.AnomalyFactory;
import dev.parapet.detector.rules.DetectionRule;
import dev.parapet.detector.rules.DetectorSettings;
import dev.parapet.detector.rules.EntityWindow;
import dev.parapet.detector.rules.RuleSettings;
import dev.parapet.detector.rules.Signal;
import dev.parapet.events.Anomaly;
import dev.parapet.events.Revocation;
import dev.parapet.events.RevocationTarget;
import dev.parapet.events.SchemaVersion;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Feeds each signal to its entity's window and emits the anomaly at the crossing. With
 * auto-response on, a critical anomaly also revokes the leaked token (TOKEN_SHARING) or the
 * user (CANARY_LEAK) for a limited time. A punctuation drops windows nothing can revive.
 */
final class DetectorProcessor implements Processor<String, Signal, String, DetectorOutput> {

    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    private final DetectorSettings settings;
    private final Clock clock;
    private final Consumer<DetectionRule> onAnomaly;
    private ProcessorContext<String, DetectorOutput> context;
    private KeyValueStore<String, EntityWindow> windows;

    DetectorProcessor(DetectorSettings settings, Clock clock, Consumer<DetectionRule> onAnomaly) {
        this.onAnomaly = onAnomaly;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, DetectorOutput> context) {
        this.context = context;
        this.windows = context.getStateStore(DetectorTopology.WINDOW_STORE);
        context.schedule(SWEEP_EVERY, PunctuationType.STREAM_TIME, this::sweep);
    }

    @Override
    public void process(Record<String, Signal> record) {
        Signal signal = record.value();
        if (signal == null) {
            return;
        }
        RuleSettings rule = settings.rule(signal.rule());
        EntityWindow state = windows.get(signal.stateKey());
        EntityWindow.Observation seen = (state == null ? EntityWindow.empty() : state).observe(signal, rule);
        windows.put(signal.stateKey(), seen.next());
        seen.crossing().ifPresent(crossing -> {
            Anomaly anomaly = AnomalyFactory.anomaly(signal, rule, crossing);
            long at = anomaly.timestamp().toEpochMilli();
            context.forward(new Record<>(signal.entityId(), DetectorOutput.of(anomaly), at));
            onAnomaly.accept(signal.rule());
            if (settings.autoRevoke() && "critical".equals(signal.rule().severity())) {
                autoRevoke(signal, at);
            }
        });
    }

    private void autoRevoke(Signal signal, long at) {
        var now = clock.instant();
        Revocation revocation = null;
        if (signal.rule() == DetectionRule.TOKEN_SHARING && signal.jti() != null) {
            revocation = new Revocation(SchemaVersion.CURRENT, RevocationTarget.JTI, signal.jti(), now, now.plus(settings.autoRevokeFor()),
                    "auto-response: " + signal.rule().name(), "anomaly-detector");
        } else if (signal.rule() == DetectionRule.CANARY_LEAK) {
            revocation = new Revocation(SchemaVersion.CURRENT, RevocationTarget.USER, signal.entityId(), now,
                    now.plus(settings.autoRevokeFor()), "auto-response: " + signal.rule().name(), "anomaly-detector");
        }
        if (revocation != null) {
            context.forward(new Record<>(revocation.key(), DetectorOutput.of(revocation), at));
        }
    }

    private void sweep(long streamTime) {
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, EntityWindow> all = windows.all()) {
            while (all.hasNext()) {
                KeyValue<String, EntityWindow> entry = all.next();
                DetectionRule rule = DetectionRule.valueOf(entry.key.substring(0, entry.key.indexOf('|')));
                if (entry.value.expiredAt(streamTime, settings.rule(rule).window())) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(windows::delete);
    }
}
