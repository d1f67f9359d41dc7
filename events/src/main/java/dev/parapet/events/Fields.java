package dev.parapet.events;

import java.util.List;
import java.util.Map;

/**
 * Validation helpers for event constructors. Each names the JSON field it checks, so a refused
 * record says exactly what was wrong with it.
 */
public final class Fields {

    private Fields() {
    }

    /** Requires a value; an empty or blank string counts as missing. */
    public static <T> T required(T value, String field) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw new InvalidEventException(field, InvalidEventException.Problem.MISSING, "is required");
        }
        return value;
    }

    /** Refuses any schema version this build does not know. */
    public static int schemaVersion(Integer value, int supported) {
        required(value, "schema_version");
        if (value != supported) {
            throw new InvalidEventException("schema_version", InvalidEventException.Problem.UNSUPPORTED_SCHEMA_VERSION,
                    "version " + value + " is not supported (this build reads " + supported + ")");
        }
        return value;
    }

    public static void check(boolean condition, String field, String message) {
        if (!condition) {
            throw new InvalidEventException(field, InvalidEventException.Problem.INVALID, message);
        }
    }

    public static <T> List<T> listOrEmpty(List<T> value) {
        return value == null ? List.of() : List.copyOf(value);
    }

    public static <K, V> Map<K, V> mapOrEmpty(Map<K, V> value) {
        return value == null ? Map.of() : Map.copyOf(value);
    }

    /** How a secret or a user's text is shown in {@code toString()}: its length, never its content. */
    public static String masked(String value) {
        return value == null ? "null" : "<" + value.length() + " chars>";
    }
}
