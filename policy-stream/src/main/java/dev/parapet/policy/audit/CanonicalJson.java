package dev.parapet.policy.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parapet.events.codec.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The canonical form a decision is hashed in: compact JSON, object keys sorted at every level,
 * numbers as Jackson writes them. The same decision read back from Kafka or from Elasticsearch's
 * {@code _source} yields the same bytes.
 */
public final class CanonicalJson {

    private CanonicalJson() {
    }

    public static byte[] bytes(JsonNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator generator = Json.mapper().getFactory().createGenerator(out)) {
            write(node, generator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void write(JsonNode node, JsonGenerator generator) throws IOException {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            names.sort(null);
            generator.writeStartObject();
            for (String name : names) {
                generator.writeFieldName(name);
                write(object.get(name), generator);
            }
            generator.writeEndObject();
        } else if (node.isArray()) {
            generator.writeStartArray();
            for (JsonNode element : node) {
                write(element, generator);
            }
            generator.writeEndArray();
        } else {
            generator.writeTree(node);
        }
    }
}
