package dev.parapet.cli.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parapet.events.codec.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Field name to Elasticsearch type, read from the index templates the indexer installs. */
final class IndexTemplateFields {

    static final Set<String> NUMERIC = Set.of("long", "integer", "short", "byte", "float", "double", "half_float", "scaled_float");

    private final Map<String, String> types = new HashMap<>();

    private IndexTemplateFields() {
    }

    /** {@code decisions}, {@code anomalies} or {@code responses}. */
    static IndexTemplateFields of(String index) {
        IndexTemplateFields fields = new IndexTemplateFields();
        try (InputStream in = IndexTemplateFields.class.getResourceAsStream("/elasticsearch/" + index + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no index template for " + index);
            }
            fields.walk("", Json.mapper().readTree(in).path("template").path("mappings").path("properties"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fields;
    }

    private void walk(String prefix, JsonNode properties) {
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode spec = field.getValue();
            if (spec.has("properties")) {
                walk(prefix + field.getKey() + ".", spec.get("properties"));
            } else {
                types.put(prefix + field.getKey(), spec.path("type").asText("object"));
            }
        }
    }

    Optional<String> type(String field) {
        return Optional.ofNullable(types.get(field));
    }

    /** Whether a terms, cardinality or histogram aggregation can run on the field (doc values; not text or object). */
    boolean aggregatable(String field) {
        return type(field).filter(t -> !t.equals("text") && !t.equals("object") && !t.equals("nested")).isPresent();
    }

    boolean numeric(String field) {
        return type(field).filter(NUMERIC::contains).isPresent();
    }
}
