package dev.parapet.cli.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a Kibana saved-objects export (ndjson): one object per line, optionally closed by the
 * export summary line ({@code exportedCount}). Every line must be an object with a type, an id,
 * attributes and references; ids are unique per type. Errors name the line.
 */
public final class SavedObjectsFile {

    /** The objects Parapet ships, inside the jar. */
    public static final String BUILT_IN = "/kibana/parapet-saved-objects.ndjson";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SavedObjectsFile() {
    }

    /** The shipped objects, or those of {@code file}. */
    public static List<SavedObject> load(Optional<Path> file) {
        try {
            if (file.isPresent()) {
                return parse(Files.readString(file.get(), StandardCharsets.UTF_8), file.get().toString());
            }
            try (InputStream in = SavedObjectsFile.class.getResourceAsStream(BUILT_IN)) {
                if (in == null) {
                    throw new IllegalStateException("the built-in saved objects are missing from the jar (" + BUILT_IN + ")");
                }
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in saved objects");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.map(Path::toString).orElse(BUILT_IN), e);
        }
    }

    /** Parses an export; {@code source} names it in errors. */
    public static List<SavedObject> parse(String ndjson, String source) {
        List<SavedObject> objects = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        String[] lines = ndjson.split("\n");
        Integer summarised = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = source + " line " + (i + 1);
            JsonNode node;
            try {
                node = MAPPER.readTree(line);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException(where + " is not JSON: " + e.getOriginalMessage());
            }
            if (!(node instanceof ObjectNode object)) {
                throw new IllegalArgumentException(where + " is not a JSON object");
            }
            if (object.has("exportedCount")) {
                summarised = object.get("exportedCount").asInt(-1);
                continue;
            }
            for (String field : List.of("type", "id")) {
                if (!object.path(field).isTextual() || object.path(field).asText().isBlank()) {
                    throw new IllegalArgumentException(where + " has no " + field);
                }
            }
            if (!object.path("attributes").isObject() || !object.path("references").isArray()) {
                throw new IllegalArgumentException(where + " needs an attributes object and a references array");
            }
            SavedObject so = new SavedObject(object.get("type").asText(), object.get("id").asText(), object.get("attributes"),
                    object.get("references"), object);
            if (!keys.add(so.key())) {
                throw new IllegalArgumentException(where + " repeats " + so.key());
            }
            objects.add(so);
        }
        if (objects.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no saved object");
        }
        if (summarised != null && summarised != objects.size()) {
            throw new IllegalArgumentException(source + " says it exports " + summarised + " objects but holds " + objects.size());
        }
        return List.copyOf(objects);
    }
}
