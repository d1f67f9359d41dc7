package dev.parapet.events;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a query stands, as {@code GET /v1/queries/{id}} reports it. */
public enum QueryStatus {
    PENDING, BLOCKED, ANSWERED, FAILED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
