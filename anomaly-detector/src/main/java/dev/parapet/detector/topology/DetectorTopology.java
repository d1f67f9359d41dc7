package dev.parapet.detector.topology;

import dev.parapet.detector.rules.DetectionRule;
import dev.parapet.detector.rules.DetectorSettings;
import dev.parapet.detector.rules.EntityWindow;
import dev.parapet.detector.rules.Signal;
import dev.parapet.detector.rules.SignalExtractor;
import dev.parapet.events.codec.EventSerdes;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The detection topology, built by a pure function.
 * <pre>
 *   security.decisions ─▶ signals (rule|entity) ─▶ repartition by entity ─▶ detect ─▶ security.anomalies
 *                                                           store: rule|entity → window │
 *                                                                                      └─▶ security.revocations (auto-response)
 * </pre>
 * Each decision yields zero or more signals, keyed by rule and entity (user, address or token
 * fingerprint) and repartitioned so every entity's window lives in exactly one task.
 */
public final class DetectorTopology {

    public static final String WINDOW_STORE = "detector-windows";
    static final String REPARTITION = "signals-by-entity";

    private DetectorTopology() {
    }

    public static Topology build(DetectorSettings settings, Clock clock) {
        return build(settings, clock, rule -> { });
    }

    /** As above; {@code onAnomaly} hears the rule of every anomaly emitted (for metrics; it must not throw). */
    public static Topology build(DetectorSettings settings, Clock clock, Consumer<DetectionRule> onAnomaly) {
        Objects.requireNonNull(settings, "settings can't be null");
        Objects.requireNonNull(clock, "clock can't be null");
        SignalExtractor extractor = new SignalExtractor(settings);
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(WINDOW_STORE), Serdes.String(),
                JsonSerde.of(EntityWindow.class)));
        KStream<String, DetectorOutput> outputs = builder
                .stream(settings.topics().decisions(), Consumed.with(Serdes.String(), EventSerdes.decision()))
                .filter((key, decision) -> decision != null)
                .flatMap((key, decision) -> extractor.signals(decision).stream()
                        .map(signal -> KeyValue.pair(signal.stateKey(), signal)).toList())
                .repartition(Repartitioned.with(Serdes.String(), JsonSerde.of(Signal.class)).withName(REPARTITION))
                .process(() -> new DetectorProcessor(settings, clock, onAnomaly), WINDOW_STORE);
        outputs.filter((key, out) -> out.anomaly() != null)
                .mapValues(DetectorOutput::anomaly)
                .to(settings.topics().anomalies(), Produced.with(Serdes.String(), EventSerdes.anomaly()));
        outputs.filter((key, out) -> out.revocation() != null)
                .mapValues(DetectorOutput::revocation)
                .to(settings.topics().revocations(), Produced.with(Serdes.String(), EventSerdes.revocation()));
        return builder.build();
    }
}
