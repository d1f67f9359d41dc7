package dev.parapet.policy.ops;

import dev.parapet.events.ops.StreamStates;
import dev.parapet.policy.content.LayeredContentCheck;
import dev.parapet.policy.topology.PolicyObserver;
import dev.parapet.policy.topology.PolicyObserver.CommitTiming;
import dev.parapet.policy.topology.PolicyTopology;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;

/**
 * The policy stage's meters:
 * <ul>
 *   <li>{@code parapet_policy_decisions_total{outcome,reason}}: decisions by outcome and reason code;</li>
 *   <li>{@code parapet_policy_content_check_seconds}: content check latency, a histogram;</li>
 *   <li>{@code parapet_policy_model_info{model_id,model_version,rule_pack}}: 1, the enforced detector;</li>
 *   <li>{@code parapet_policy_stream_state{state}} and Kafka Streams' own metrics (commit latency and the rest);</li>
 *   <li>{@code parapet_policy_store_entries{store}}: approximate entries of each local state store;</li>
 *   <li>{@code parapet_policy_commit_timing_total{timing}}: how each decision's transaction was asked to commit
 *       ({@code eager}, {@code owed}, {@code interval}), and owed commits paid ({@code owed_paid}).</li>
 * </ul>
 * Decisions are counted when processed; a transaction that aborts and is retried counts again.
 */
public final class PolicyMetrics implements PolicyObserver, AutoCloseable {

    private static final List<String> KEY_VALUE_STORES = List.of(PolicyTopology.USER_RATE_STORE, PolicyTopology.IP_FAILURE_STORE,
            PolicyTopology.CHAIN_STORE);

    private final MeterRegistry registry;
    private final Timer contentCheck;
    private final ConcurrentMap<String, Counter> decisions = new ConcurrentHashMap<>();
    private final EnumMap<CommitTiming, Counter> commitTimings = new EnumMap<>(CommitTiming.class);
    private KafkaStreamsMetrics streamsMetrics;

    public PolicyMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.contentCheck = Timer.builder("parapet.policy.content.check").description("time to run the content check of one query")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(20_000)).maximumExpectedValue(Duration.ofMillis(100))
                .register(registry);
        for (CommitTiming timing : CommitTiming.values()) {
            commitTimings.put(timing, Counter.builder("parapet.policy.commit.timing").tag("timing", timing.label())
                    .description("how decisions' transactions were asked to commit: eager, owed or interval; owed_paid counts owed commits paid")
                    .register(registry));
        }
    }

    @Override
    public void commitTiming(CommitTiming timing) {
        commitTimings.get(timing).increment();
    }

    @Override
    public void decided(String outcome, String reasonCode) {
        decisions.computeIfAbsent(outcome + '|' + reasonCode, k -> Counter.builder("parapet.policy.decisions")
                .description("policy decisions by outcome and reason code").tag("outcome", outcome).tag("reason", reasonCode)
                .register(registry)).increment();
    }

    @Override
    public void contentChecked(long nanos) {
        contentCheck.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The enforced model and rule pack, as an info gauge. */
    public void bindModel(LayeredContentCheck content) {
        Gauge.builder("parapet.policy.model.info", () -> 1).description("the enforced detector model and rule pack")
                .tag("model_id", content.detector().manifest().id()).tag("model_version", content.detector().manifest().version())
                .tag("rule_pack", content.rules().pack().version()).register(registry);
    }

    /** Stream state, store sizes and Kafka Streams' client metrics (until {@link #close()}). */
    public void bindStreams(KafkaStreams streams) {
        StreamStates.bindGauge(registry, "parapet.policy.stream.state", () -> streams.state().name());
        for (String store : KEY_VALUE_STORES) {
            Gauge.builder("parapet.policy.store.entries", () -> entries(streams, store)).tag("store", store)
                    .description("approximate entries in the local state store (NaN while it is not queryable)").register(registry);
        }
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
    }

    /** Stops the Kafka Streams metrics binder's refresh thread. */
    @Override
    public void close() {
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
    }

    private static double entries(KafkaStreams streams, String store) {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore())).approximateNumEntries();
        } catch (InvalidStateStoreException e) {
            return Double.NaN;
        }
    }
}
