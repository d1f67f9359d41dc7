package dev.parapet.events;

/**
 * Thrown by an event's constructor when a field is missing or holds a value the contract forbids.
 * The codec turns it into a {@link dev.parapet.events.codec.CodecException} naming the same field.
 */
public final class InvalidEventException extends IllegalArgumentException {

    /** Why a field was refused. */
    public enum Problem { MISSING, INVALID, UNSUPPORTED_SCHEMA_VERSION }

    private final String field;
    private final Problem problem;

    public InvalidEventException(String field, Problem problem, String message) {
        super(field + ": " + message);
        this.field = field;
        this.problem = problem;
    }

    /** The JSON name of the offending field. */
    public String field() {
        return field;
    }

    public Problem problem() {
        return problem;
    }
}
