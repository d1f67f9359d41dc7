package dev.parapet.events.codec;

import dev.parapet.events.Anomaly;
import dev.parapet.events.ApprovedQuery;
import dev.parapet.events.Decision;
import dev.parapet.events.QueryResponse;
import dev.parapet.events.QuerySubmitted;
import dev.parapet.events.Revocation;

/** The serdes of the contract's events, one per topic value type. */
public final class EventSerdes {

    private EventSerdes() {
    }

    public static EventSerde<QuerySubmitted> querySubmitted() {
        return EventSerde.of(QuerySubmitted.class);
    }

    public static EventSerde<ApprovedQuery> approvedQuery() {
        return EventSerde.of(ApprovedQuery.class);
    }

    public static EventSerde<QueryResponse> queryResponse() {
        return EventSerde.of(QueryResponse.class);
    }

    public static EventSerde<Decision> decision() {
        return EventSerde.of(Decision.class);
    }

    public static EventSerde<Anomaly> anomaly() {
        return EventSerde.of(Anomaly.class);
    }

    public static EventSerde<dev.parapet.events.IdempotencyMarker> idempotencyMarker() {
        return EventSerde.of(dev.parapet.events.IdempotencyMarker.class);
    }

    public static EventSerde<Revocation> revocation() {
        return EventSerde.of(Revocation.class);
    }
}
