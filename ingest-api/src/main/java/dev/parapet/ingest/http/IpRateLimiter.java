package dev.parapet.ingest.http;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per client address, in memory: floods from one address get 429 before they cost
 * a broker write. Buckets of idle addresses are dropped once they are full again.
 */
public final class IpRateLimiter {

    private final double perSecond;
    private final double burst;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long updatedNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedNanos = now;
        }
    }

    /** @param perMinute sustained requests per address per minute; bursts up to the same number */
    public IpRateLimiter(int perMinute) {
        this.perSecond = perMinute / 60.0;
        this.burst = perMinute;
    }

    /** @return 0 when admitted, else seconds until a request would be */
    public long tryAcquire(String address) {
        long now = System.nanoTime();
        Bucket bucket = buckets.computeIfAbsent(address, a -> new Bucket(burst, now));
        synchronized (bucket) {
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updatedNanos) / 1e9 * perSecond);
            bucket.updatedNanos = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / perSecond));
        }
    }

    /** Forgets addresses whose bucket has refilled; call now and then. */
    public void sweep() {
        long now = System.nanoTime();
        buckets.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return e.getValue().tokens + (now - e.getValue().updatedNanos) / 1e9 * perSecond >= burst;
            }
        });
    }
}
