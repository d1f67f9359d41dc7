package dev.parapet.events.codec;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record that could not be decoded (or encoded), with the kind of failure and the JSON field
 * it concerns. It never leaves a half-filled event behind. It is a Kafka
 * {@link SerializationException}, so consumers and Kafka Streams treat it as poison input.
 */
public final class CodecException extends SerializationException {

    /** What was wrong with the bytes. */
    public enum Kind {
        /** Not JSON, not UTF-8, truncated, trailing garbage or duplicate keys. */
        MALFORMED_JSON,
        /** {@code schema_version} this build does not read. */
        UNSUPPORTED_SCHEMA_VERSION,
        /** A required field is absent, null or blank. */
        MISSING_FIELD,
        /** A field holds the wrong JSON type (a string where a number belongs, and so on). */
        WRONG_TYPE,
        /** A field the contract does not define. */
        UNKNOWN_FIELD,
        /** A field of the right type with a value the contract forbids. */
        INVALID_VALUE
    }

    private final Kind kind;
    private final String field;

    public CodecException(Kind kind, String field, String message, Throwable cause) {
        super(kind + (field == null ? "" : " at " + field) + ": " + message, cause);
        this.kind = kind;
        this.field = field;
    }

    public Kind kind() {
        return kind;
    }

    /** Dotted JSON path of the offending field, or null when the whole document is at fault. */
    public String field() {
        return field;
    }
}
