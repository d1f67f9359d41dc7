package dev.parapet.ingest.results;

import dev.parapet.events.IdempotencyMarker;
import dev.parapet.events.QueryResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads the edge's local results (interactive queries over the global stores) and lets requests
 * wait for a response: a waiter registered before the store is read cannot miss an arrival.
 */
public final class ResultsView {

    private final ConcurrentHashMap<String, List<CompletableFuture<QueryResponse>>> waiters = new ConcurrentHashMap<>();
    private volatile KafkaStreams streams;
    private final QueryHistory history = new QueryHistory();

    public void attach(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Called for every response that arrives. */
    public void onResponse(QueryResponse response) {
        history.add(response);
        List<CompletableFuture<QueryResponse>> waiting = waiters.remove(response.queryId());
        if (waiting != null) {
            waiting.forEach(w -> w.complete(response));
        }
    }

    public Optional<QueryResponse> response(String queryId) {
        return Optional.ofNullable(store(ResultsTopology.RESPONSES_STORE, QueryResponse.class).get(queryId));
    }

    /**
     * Fills the history from every response the store already holds: global stores restore without
     * passing through the processor, so a restarted edge would otherwise start with none.
     *
     * @return how many responses were read
     */
    public int rebuildHistory() {
        int read = 0;
        try (KeyValueIterator<String, QueryResponse> all = store(ResultsTopology.RESPONSES_STORE, QueryResponse.class).all()) {
            while (all.hasNext()) {
                QueryResponse response = all.next().value;
                if (response != null) {
                    history.add(response);
                    read++;
                }
            }
        }
        return read;
    }

    /** Forgets history entries older than {@code oldest}; the service calls it now and then. */
    public void forgetHistoryBefore(java.time.Instant oldest) {
        history.forgetBefore(oldest);
    }

    /** The user's history page (see {@link QueryHistory}). */
    public QueryHistory.Page history(String user, int limit, Optional<QueryHistory.Entry> before) {
        return history.page(user, limit, before);
    }

    public Optional<IdempotencyMarker> idempotency(String key) {
        return Optional.ofNullable(store(ResultsTopology.IDEMPOTENCY_STORE, IdempotencyMarker.class).get(key));
    }

    /** The response when it arrives, or empty after {@code timeout}. */
    public CompletableFuture<Optional<QueryResponse>> await(String queryId, Duration timeout) {
        CompletableFuture<QueryResponse> waiter = new CompletableFuture<>();
        waiters.computeIfAbsent(queryId, id -> new CopyOnWriteArrayList<>()).add(waiter);
        Optional<QueryResponse> already = response(queryId);
        if (already.isPresent()) {
            forget(queryId, waiter);
            return CompletableFuture.completedFuture(already);
        }
        return waiter.completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(Optional::ofNullable)
                .whenComplete((r, e) -> forget(queryId, waiter));
    }

    public boolean running() {
        KafkaStreams current = streams;
        return current != null && current.state() == KafkaStreams.State.RUNNING;
    }

    private void forget(String queryId, CompletableFuture<QueryResponse> waiter) {
        waiters.computeIfPresent(queryId, (id, list) -> {
            list.remove(waiter);
            return list.isEmpty() ? null : list;
        });
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name, Class<V> type) {
        KafkaStreams current = streams;
        if (current == null) {
            throw new IllegalStateException("results store is not started");
        }
        return current.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
    }
}
