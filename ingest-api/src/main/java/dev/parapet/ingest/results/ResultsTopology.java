package dev.parapet.ingest.results;

import dev.parapet.events.IdempotencyMarker;
import dev.parapet.events.QueryResponse;
import dev.parapet.events.codec.EventSerdes;
import dev.parapet.events.topic.TopicCatalog;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * What every edge instance keeps locally, as global stores, so any instance can answer: the
 * responses on {@code llm.responses} (by query id) and the idempotency markers on
 * {@code parapet.idempotency}. Each response that arrives is also handed to {@code onResponse},
 * which releases long-polling requests.
 */
public final class ResultsTopology {

    public static final String RESPONSES_STORE = "ingest-responses";
    public static final String IDEMPOTENCY_STORE = "ingest-idempotency";

    private ResultsTopology() {
    }

    public static Topology build(TopicCatalog topics, Consumer<QueryResponse> onResponse) {
        Topology topology = new Topology();
        topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RESPONSES_STORE), Serdes.String(),
                        EventSerdes.queryResponse()).withLoggingDisabled(),
                "responses-source", new StringDeserializer(), EventSerdes.queryResponse().deserializer(), topics.responses(),
                "responses-updater", () -> new Updater<>(RESPONSES_STORE, onResponse));
        topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(IDEMPOTENCY_STORE), Serdes.String(),
                        EventSerdes.idempotencyMarker()).withLoggingDisabled(),
                "idempotency-source", new StringDeserializer(), EventSerdes.idempotencyMarker().deserializer(), topics.idempotency(),
                "idempotency-updater", () -> new Updater<IdempotencyMarker>(IDEMPOTENCY_STORE, marker -> { }));
        return topology;
    }

    /** Puts each record into its global store (a tombstone deletes) and tells the listener. */
    private static final class Updater<V> implements Processor<String, V, Void, Void> {
        private final String storeName;
        private final Consumer<V> listener;
        private KeyValueStore<String, V> store;

        Updater(String storeName, Consumer<V> listener) {
            this.storeName = storeName;
            this.listener = listener;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(storeName);
        }

        @Override
        public void process(Record<String, V> record) {
            if (record.key() == null) {
                return;
            }
            if (record.value() == null) {
                store.delete(record.key());
                return;
            }
            store.put(record.key(), record.value());
            listener.accept(record.value());
        }
    }
}
