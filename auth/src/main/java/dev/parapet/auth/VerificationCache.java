package dev.parapet.auth;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Verified tokens by SHA-256 of the token, least recently used evicted first, each only until it
 * expires. Rejections are never cached: a bad token is cheap to reject again, and caching them
 * would let a flood evict good entries.
 */
final class VerificationCache {

    private final int capacity;
    private final Map<String, VerifiedToken> entries;

    VerificationCache(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, VerifiedToken> eldest) {
                return size() > VerificationCache.this.capacity;
            }
        };
    }

    synchronized Optional<VerifiedToken> get(String tokenHash, Instant now) {
        VerifiedToken token = entries.get(tokenHash);
        if (token == null) {
            return Optional.empty();
        }
        if (!now.isBefore(token.expiresAt())) {
            entries.remove(tokenHash);
            return Optional.empty();
        }
        return Optional.of(token);
    }

    synchronized void put(String tokenHash, VerifiedToken token) {
        if (capacity > 0) {
            entries.put(tokenHash, token);
        }
    }

    synchronized int size() {
        return entries.size();
    }
}
