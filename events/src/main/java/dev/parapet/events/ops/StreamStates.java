package dev.parapet.events.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Readiness and a state gauge for a Kafka Streams client, by the name of its state (this module
 * does not depend on Kafka Streams). Ready while {@code RUNNING} or {@code REBALANCING}; every other
 * state ({@code CREATED}, {@code PENDING_SHUTDOWN}, {@code NOT_RUNNING}, {@code PENDING_ERROR},
 * {@code ERROR}) means the stage is not processing.
 */
public final class StreamStates {

    /** Every state of {@code KafkaStreams.State}, for the gauge's bounded label. */
    public static final List<String> ALL = List.of("CREATED", "REBALANCING", "RUNNING", "PENDING_SHUTDOWN", "NOT_RUNNING",
            "PENDING_ERROR", "ERROR");

    private StreamStates() {
    }

    /** A readiness check over the current state's name. */
    public static ReadinessCheck check(String what, Supplier<String> state) {
        return () -> {
            String now = state.get();
            return "RUNNING".equals(now) || "REBALANCING".equals(now) ? Optional.empty() : Optional.of(what + " is " + now);
        };
    }

    /** {@code NAME{state="..."}}: 1 for the current state, 0 for the others. */
    public static void bindGauge(MeterRegistry registry, String name, Supplier<String> state) {
        for (String s : ALL) {
            Gauge.builder(name, () -> s.equals(state.get()) ? 1 : 0).tag("state", s)
                    .description("1 for the Kafka Streams client's current state").register(registry);
        }
    }
}
