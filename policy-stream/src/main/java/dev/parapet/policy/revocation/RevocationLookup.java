package dev.parapet.policy.revocation;

import dev.parapet.events.Revocation;
import dev.parapet.events.RevocationTarget;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Answers "is this user or token revoked right now?" from the global revocation store, which
 * mirrors the compacted {@code security.revocations} topic on every instance. A revocation whose
 * {@code expires_at} has passed no longer blocks.
 */
public final class RevocationLookup {

    private final KeyValueStore<String, Revocation> store;

    public RevocationLookup(KeyValueStore<String, Revocation> store) {
        this.store = Objects.requireNonNull(store, "store can't be null");
    }

    /** The revocation that blocks this user or this jti at {@code now}, if any. */
    public Optional<Revocation> blocking(String userId, String jti, Instant now) {
        return active(RevocationTarget.USER.key(userId), now).or(() -> active(RevocationTarget.JTI.key(jti), now));
    }

    private Optional<Revocation> active(String key, Instant now) {
        return Optional.ofNullable(store.get(key)).filter(r -> r.activeAt(now));
    }
}
