package dev.parapet.policy.topology;

import static dev.parapet.policy.topology.PolicyHarness.SECRET;
import static dev.parapet.policy.topology.PolicyHarness.T0;
import static dev.parapet.policy.topology.PolicyHarness.TOPICS;
import static dev.parapet.policy.topology.PolicyHarness.query;
import static dev.parapet.policy.topology.PolicyHarness.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parapet.auth.TokenVerifier;
import dev.parapet.auth.VerifierConfig;
import dev.parapet.events.codec.EventSerdes;
import dev.parapet.infra.time.MutableClock;
import dev.parapet.policy.audit.ChainHead;
import dev.parapet.policy.content.ContentScanner;
import dev.parapet.policy.content.RulePacks;
import dev.parapet.policy.rate.TimestampLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The processor's side of {@link EagerCommit}: which decided queries ask Streams for a commit, and when. */
class PolicyProcessorCommitTest {

    private static final long NOW = T0.toEpochMilli();

    private MockProcessorContext<String, Object> context;
    private PolicyProcessor processor;

    @BeforeEach
    void start() {
        PolicySettings settings = PolicySettings.defaults(TOPICS);
        MutableClock clock = new MutableClock(T0);
        PolicyComponents components = new PolicyComponents(new TokenVerifier(VerifierConfig.hmac(SECRET, "HS256"), clock),
                new ContentScanner(RulePacks.fromFile(Path.of("src/test/resources/content/test-pack.json"))), clock, Optional.empty());
        context = new MockProcessorContext<>();
        Duration retention = settings.dedupeRetention();
        add(Stores.windowStoreBuilder(Stores.inMemoryWindowStore(PolicyTopology.SEEN_STORE, retention, retention, false),
                Serdes.String(), Serdes.Long()));
        add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PolicyTopology.USER_RATE_STORE), Serdes.String(), TimestampLog.serde()));
        add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PolicyTopology.IP_FAILURE_STORE), Serdes.String(), TimestampLog.serde()));
        add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PolicyTopology.CHAIN_STORE), Serdes.Integer(), ChainHead.serde()));
        add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PolicyTopology.REVOCATIONS_STORE), Serdes.String(),
                EventSerdes.revocation()));
        processor = new PolicyProcessor(settings, components, settings.eagerCommit().gate());
        processor.init(context);
    }

    private void add(StoreBuilder<? extends StateStore> builder) {
        StateStore store = builder.withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
    }

    private void decide(long publishedMs, long nowMs) {
        context.setCurrentSystemTimeMs(nowMs);
        processor.process(new Record<>("alice", query(token("alice"), "alice", "What is our refund policy?", "10.0.0.1"), publishedMs));
    }

    @Test
    void aQueryDecidedWhileFreshAsksForACommitAtOnce() {
        decide(NOW - 10, NOW);

        assertThat(context.forwarded()).isNotEmpty();
        assertThat(context.committed()).isTrue();
    }

    @Test
    void aQueryDecidedLateWaitsForTheCommitInterval() {
        decide(NOW - 500, NOW);

        assertThat(context.forwarded()).isNotEmpty();
        assertThat(context.committed()).isFalse();
    }

    @Test
    void aFreshQueryInsideTheGapIsOwedACommitThatThePunctuatorPaysOnceTheGapHasPassed() {
        // Given: one eager commit just now
        decide(NOW - 5, NOW);
        context.resetCommit();
        var punctuator = context.scheduledPunctuators().get(0);
        assertThat(punctuator.getInterval()).isEqualTo(Duration.ofMillis(20));

        // When: another fresh query 5 ms later
        decide(NOW, NOW + 5);

        // Then: no commit yet, none at 10 ms, one at 20 ms, and nothing more once paid
        assertThat(context.committed()).isFalse();
        punctuator.getPunctuator().punctuate(NOW + 10);
        assertThat(context.committed()).isFalse();
        punctuator.getPunctuator().punctuate(NOW + 20);
        assertThat(context.committed()).isTrue();
        context.resetCommit();
        punctuator.getPunctuator().punctuate(NOW + 60);
        assertThat(context.committed()).isFalse();
    }
}
