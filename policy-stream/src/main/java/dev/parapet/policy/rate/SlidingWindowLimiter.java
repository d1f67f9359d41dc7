package dev.parapet.policy.rate;

import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * An exact sliding-window limit over a persistent, changelogged store: at most {@code limit}
 * counted events per key inside any span of {@code window}. The store keeps the times of the
 * counted events, so the count is exact (no bucketing) and survives restarts and fail-overs.
 *
 * <p>Only admitted events are counted. A request refused by the limit does not extend the
 * refusal: a client that keeps hammering gets capacity back exactly {@code window} after its
 * earlier admitted requests, and its refused requests remain visible as decisions.
 */
public final class SlidingWindowLimiter {

    private final KeyValueStore<String, TimestampLog> store;
    private final int limit;
    private final long windowMs;

    public SlidingWindowLimiter(KeyValueStore<String, TimestampLog> store, int limit, Duration window) {
        this.store = Objects.requireNonNull(store, "store can't be null");
        this.limit = limit;
        this.windowMs = window.toMillis();
        if (limit < 1 || windowMs < 1) {
            throw new IllegalArgumentException("limit and window must be positive");
        }
    }

    /**
     * Counts the event at {@code time} if the window has room.
     *
     * @return the window count after this event (admitted) or the count that refused it (negative)
     */
    public int tryAcquire(String key, long time) {
        TimestampLog log = current(key, time);
        if (log.size() >= limit) {
            store.put(key, log);
            return -log.size();
        }
        TimestampLog next = log.plus(time);
        store.put(key, next);
        return next.size();
    }

    /** Counts the event at {@code time} unconditionally (for failure counters), keeping at most {@code limit}. */
    public int record(String key, long time) {
        TimestampLog next = current(key, time).plus(time);
        if (next.size() > limit) {
            next = new TimestampLog(java.util.Arrays.copyOfRange(next.times(), next.size() - limit, next.size()));
        }
        store.put(key, next);
        return next.size();
    }

    /** Events counted in the window that ends at {@code time}. */
    public int count(String key, long time) {
        return current(key, time).size();
    }

    private TimestampLog current(String key, long time) {
        TimestampLog log = store.get(key);
        return log == null ? TimestampLog.EMPTY : log.after(time - windowMs);
    }
}
