package dev.parapet.detector.index;

import dev.parapet.events.config.EnvReader;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Elasticsearch index names under one prefix.
 *
 * @param prefix such as {@code parapet-}; lower case, as Elasticsearch requires
 */
public record IndexNames(String prefix) {

    private static final Pattern LEGAL = Pattern.compile("[a-z0-9][a-z0-9._-]{0,100}");

    public IndexNames {
        Objects.requireNonNull(prefix, "prefix can't be null");
        if (!LEGAL.matcher(prefix).matches()) {
            throw new IllegalArgumentException("index prefix '" + prefix + "' must be lower-case letters, digits, '.', '_' or '-'");
        }
    }

    /** {@code PARAPET_ES_INDEX_PREFIX} (default {@code parapet-}); a bad value is recorded in {@code env}. */
    public static IndexNames from(EnvReader env) {
        return new IndexNames(env.matching("PARAPET_ES_INDEX_PREFIX", "parapet-", LEGAL, "lower-case letters, digits, '.', '_' or '-'"));
    }

    public String decisions() {
        return prefix + "decisions";
    }

    public String anomalies() {
        return prefix + "anomalies";
    }

    public String responses() {
        return prefix + "responses";
    }
}
