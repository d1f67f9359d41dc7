package dev.parapet.ingest.edge;

import dev.parapet.events.Decision;
import dev.parapet.events.DecisionDetails;
import dev.parapet.events.NameUuid;
import dev.parapet.events.SchemaVersion;
import dev.parapet.events.ecs.EcsEvent;
import dev.parapet.events.ecs.EcsSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts requests the edge turned away (401 unauthenticated, 429 flooding) per client address,
 * and turns each minute's counts into one aggregated decision per address, so the detector sees
 * floods without one broker write per bad request.
 */
public final class EdgeRejections {

    /** Why the edge turned a request away. */
    public enum Kind { UNAUTHENTICATED, RATE_LIMITED }

    private record Counts(LongAdder unauthenticated, LongAdder rateLimited) {
        Counts() {
            this(new LongAdder(), new LongAdder());
        }
    }

    private final java.util.concurrent.locks.ReadWriteLock swap = new java.util.concurrent.locks.ReentrantReadWriteLock();
    private ConcurrentHashMap<String, Counts> current = new ConcurrentHashMap<>();

    public void record(String address, Kind kind) {
        // many recorders at once (read lock); none while the map is swapped, so no count lands in a drained map
        swap.readLock().lock();
        try {
            Counts counts = current.computeIfAbsent(address, a -> new Counts());
            (kind == Kind.UNAUTHENTICATED ? counts.unauthenticated() : counts.rateLimited()).increment();
        } finally {
            swap.readLock().unlock();
        }
    }

    /** The decisions for the minute that just ended; starts counting a new minute. */
    public List<Map.Entry<String, Decision>> drain(Instant minuteEnd) {
        ConcurrentHashMap<String, Counts> ended;
        swap.writeLock().lock();
        try {
            ended = current;
            current = new ConcurrentHashMap<>();
        } finally {
            swap.writeLock().unlock();
        }
        List<Map.Entry<String, Decision>> decisions = new ArrayList<>();
        ended.forEach((address, counts) -> {
            long unauthenticated = counts.unauthenticated().sum();
            long limited = counts.rateLimited().sum();
            if (unauthenticated + limited == 0) {
                return;
            }
            List<String> kinds = new ArrayList<>();
            if (unauthenticated > 0) {
                kinds.add(Kind.UNAUTHENTICATED.name());
            }
            if (limited > 0) {
                kinds.add(Kind.RATE_LIMITED.name());
            }
            String id = NameUuid.of("edge:" + address + ":" + minuteEnd.getEpochSecond());
            String reason = unauthenticated + " unauthenticated (401) and " + limited + " rate-limited (429) requests in the last minute";
            Decision decision = new Decision(SchemaVersion.CURRENT, minuteEnd,
                    new EcsEvent(id, "event", List.of(unauthenticated >= limited ? "authentication" : "network"), List.of("denied"),
                            "request.rejected", "failure", reason, 50.0, 2, null),
                    null, null, new EcsSource(address), null, null,
                    new DecisionDetails(null, "edge", unauthenticated >= limited ? "EDGE_UNAUTHENTICATED" : "EDGE_RATE_LIMITED",
                            null, null, null, kinds, null, null, null, unauthenticated + limited, null, null));
            decisions.add(Map.entry(address, decision));
        });
        return decisions;
    }
}
