package dev.parapet.ingest.publish;

import dev.parapet.events.Decision;
import dev.parapet.events.IdempotencyMarker;
import dev.parapet.events.QuerySubmitted;
import java.util.concurrent.CompletableFuture;

/** Where the edge writes its events; a future completes when the event is durably stored. */
public interface EventSink extends AutoCloseable {

    CompletableFuture<Void> publish(String key, QuerySubmitted query);

    CompletableFuture<Void> publish(String key, IdempotencyMarker marker);

    CompletableFuture<Void> publish(String key, Decision decision);

    @Override
    void close();
}
