package dev.parapet.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A revocation on the compacted topic {@code security.revocations}, keyed {@code user:ID} or
 * {@code jti:ID}; a tombstone (null value) under the same key lifts it.
 *
 * @param schemaVersion always {@link SchemaVersion#CURRENT}
 * @param target        user or jti
 * @param id            the user id or the jti
 * @param revokedAt     when it was issued
 * @param expiresAt     when it lapses by itself, or null for never
 * @param reason        free text for the audit trail
 * @param revokedBy     operator or component that issued it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Revocation(
        Integer schemaVersion,
        RevocationTarget target,
        String id,
        Instant revokedAt,
        Instant expiresAt,
        String reason,
        String revokedBy) {

    public Revocation {
        Fields.schemaVersion(schemaVersion, SchemaVersion.CURRENT);
        Fields.required(target, "target");
        Fields.required(id, "id");
        Fields.required(revokedAt, "revoked_at");
        Fields.required(revokedBy, "revoked_by");
        Fields.check(expiresAt == null || expiresAt.isAfter(revokedAt), "expires_at", "must be after revoked_at");
    }

    /** The record key this revocation is published under. */
    @JsonIgnore
    public String key() {
        return target.key(id);
    }

    /** Whether it still blocks at {@code now}. */
    public boolean activeAt(Instant now) {
        return expiresAt == null || now.isBefore(expiresAt);
    }
}
