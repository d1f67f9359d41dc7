package dev.parapet.ingest.http;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This instance's recent idempotency keys, claimed before the query is published: a retry that
 * arrives while the first is in flight, or before the marker has reached the global store, gets
 * the same id and publishes nothing. A failed publish releases its claim.
 */
final class IdempotencyClaims {

    private record Claim(String queryId, long expiresAtNanos) {
    }

    private final ConcurrentHashMap<String, Claim> claims = new ConcurrentHashMap<>();
    private final long ttlNanos;

    IdempotencyClaims(Duration ttl) {
        this.ttlNanos = ttl.toNanos();
    }

    /** Claims {@code key} for {@code queryId}; if it is already claimed, the id that holds it. */
    Optional<String> claim(String key, String queryId) {
        long now = System.nanoTime();
        Claim mine = new Claim(queryId, now + ttlNanos);
        Claim held = claims.compute(key, (k, existing) -> existing != null && existing.expiresAtNanos() > now ? existing : mine);
        return held == mine ? Optional.empty() : Optional.of(held.queryId());
    }

    void release(String key, String queryId) {
        claims.computeIfPresent(key, (k, existing) -> existing.queryId().equals(queryId) ? null : existing);
    }

    /** Drops expired claims; call now and then. */
    void sweep() {
        long now = System.nanoTime();
        claims.values().removeIf(c -> c.expiresAtNanos() <= now);
    }
}
