package dev.parapet.policy.topology;

import dev.parapet.events.codec.EventSerdes;
import dev.parapet.events.ecs.AuditLink;
import dev.parapet.policy.audit.ChainHead;
import dev.parapet.policy.audit.ChainedDecision;
import dev.parapet.policy.rate.TimestampLog;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The policy stage as a pure function of its settings and components. One processor decides
 * each query; every node and store is named so internal topic names stay stable:
 *
 * <pre>
 *   llm.queries ──▶ queries-source ──▶ policy ──▶ decisions-sink  (security.decisions, partition = audit chain)
 *                                        │  ├──▶ approved-sink   (llm.queries.approved)
 *                                        │  └──▶ responses-sink  (llm.responses, blocked)
 *   security.revocations ──▶ revocations (global store, read by policy)
 * </pre>
 *
 * Decisions go to the partition whose audit chain they extend, which is the input partition of
 * the query: each decision partition has exactly one writer, so its chain is a single sequence.
 * The key-value stores are cached: hot keys (a partition's chain head, a busy user's window) reach
 * RocksDB and their changelogs once per commit instead of once per record; the cache is flushed
 * inside each exactly-once commit, so what is committed stays consistent with the outputs. The
 * query-id store is not: its keys never repeat, so a cache would only add work.
 */
public final class PolicyTopology {

    public static final String SEEN_STORE = "policy-seen-queries";
    public static final String USER_RATE_STORE = "policy-user-rate";
    public static final String IP_FAILURE_STORE = "policy-ip-failures";
    public static final String CHAIN_STORE = "policy-audit-chain";
    public static final String REVOCATIONS_STORE = "policy-revocations";

    static final String POLICY = "policy";
    static final String DECISIONS_SINK = "decisions-sink";
    static final String APPROVED_SINK = "approved-sink";
    static final String RESPONSES_SINK = "responses-sink";

    private PolicyTopology() {
    }

    public static Topology build(PolicySettings settings, PolicyComponents components) {
        Topology topology = new Topology();
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(REVOCATIONS_STORE), Serdes.String(), EventSerdes.revocation())
                        .withLoggingDisabled(),
                "revocations-source", new StringDeserializer(), EventSerdes.revocation().deserializer(),
                settings.topics().revocations(), "revocations-updater", RevocationUpdater::new);
        topology.addSource("queries-source", new StringDeserializer(), EventSerdes.querySubmitted().deserializer(),
                settings.topics().queries());
        EagerCommit.Gate commits = settings.eagerCommit().gate(); // one per instance, shared by its tasks
        topology.addProcessor(POLICY, () -> new PolicyProcessor(settings, components, commits), "queries-source");
        // not cached: every query id is new, so a cache saves no write and costs a merged cache-and-RocksDB range per lookup
        topology.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(SEEN_STORE, settings.dedupeRetention(),
                settings.dedupeRetention(), false), Serdes.String(), Serdes.Long()), POLICY);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(USER_RATE_STORE), Serdes.String(),
                TimestampLog.serde()).withCachingEnabled(), POLICY);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(IP_FAILURE_STORE), Serdes.String(),
                TimestampLog.serde()).withCachingEnabled(), POLICY);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CHAIN_STORE), Serdes.Integer(),
                ChainHead.serde()).withCachingEnabled(), POLICY);
        topology.addSink(DECISIONS_SINK, settings.topics().decisions(), new StringSerializer(),
                (Serializer<ChainedDecision>) (topic, chained) -> chained == null ? null : chained.json(), new AuditChainPartitioner(), POLICY);
        topology.addSink(APPROVED_SINK, settings.topics().queriesApproved(), new StringSerializer(),
                EventSerdes.approvedQuery().serializer(), POLICY);
        topology.addSink(RESPONSES_SINK, settings.topics().responses(), new StringSerializer(),
                EventSerdes.queryResponse().serializer(), POLICY);
        return topology;
    }

    /** Sends each decision to the partition its audit link names. */
    static final class AuditChainPartitioner implements StreamPartitioner<String, ChainedDecision> {
        @Override
        public Optional<Set<Integer>> partitions(String topic, String key, ChainedDecision chained, int numPartitions) {
            AuditLink link = chained.decision().parapet().audit();
            if (link == null || link.partition() >= numPartitions) {
                throw new IllegalStateException(topic + " has " + numPartitions + " partitions; a decision for chain "
                        + (link == null ? "none" : link.partition()) + " cannot be placed (it needs at least as many as llm.queries)");
            }
            return Optional.of(Set.of(link.partition()));
        }
    }

    /** Mirrors {@code security.revocations} into the global store; a tombstone lifts a revocation. */
    static final class RevocationUpdater implements Processor<String, dev.parapet.events.Revocation, Void, Void> {
        private KeyValueStore<String, dev.parapet.events.Revocation> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(REVOCATIONS_STORE);
        }

        @Override
        public void process(Record<String, dev.parapet.events.Revocation> record) {
            if (record.key() == null) {
                return;
            }
            if (record.value() == null) {
                store.delete(record.key());
            } else {
                store.put(record.key(), record.value());
            }
        }
    }
}
