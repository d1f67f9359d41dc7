package dev.parapet.cli.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One Kibana saved object as exported: {@code type}, {@code id}, {@code attributes} and
 * {@code references}, plus the whole exported line to import as is.
 */
public record SavedObject(String type, String id, JsonNode attributes, JsonNode references, ObjectNode exported) {

    public SavedObject {
        Objects.requireNonNull(type, "type can't be null");
        Objects.requireNonNull(id, "id can't be null");
        Objects.requireNonNull(attributes, "attributes can't be null");
        Objects.requireNonNull(references, "references can't be null");
        Objects.requireNonNull(exported, "exported can't be null");
    }

    /** {@code type/id}, how Kibana names an object in messages. */
    public String key() {
        return type + "/" + id;
    }

    /** The object's title, or its id when it has none. */
    public String title() {
        return attributes.path("title").asText(id);
    }
}
