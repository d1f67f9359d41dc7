package dev.parapet.events.codec;

import dev.parapet.events.ApprovedQuery;
import dev.parapet.events.QuerySubmitted;
import java.util.function.Function;

/**
 * The event types with a hand-written streaming encoder or decoder beside data binding: the two
 * the policy stage handles once per query. Each gives data binding's bytes or value; a decoder
 * returns null for anything it does not read, and data binding then decides.
 */
final class FastPaths {

    private FastPaths() {
    }

    /** The streaming encoder of {@code type}, or null. */
    static <T> Function<T, byte[]> encoder(Class<T> type) {
        if (type == ApprovedQuery.class) {
            return event -> ApprovedQueryEncoder.encode((ApprovedQuery) event);
        }
        return null;
    }

    /** The streaming decoder of {@code type}, or null. */
    @SuppressWarnings("unchecked")
    static <T> Function<byte[], T> decoder(Class<T> type) {
        if (type == QuerySubmitted.class) {
            return bytes -> (T) QuerySubmittedDecoder.decode(bytes);
        }
        return null;
    }
}
