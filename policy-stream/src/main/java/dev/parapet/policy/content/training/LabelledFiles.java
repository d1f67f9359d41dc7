package dev.parapet.policy.content.training;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parapet.events.codec.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads labelled JSONL files ({@code text}, {@code label}, optional {@code category} and {@code source}); a folder means its {@code *.jsonl} files in name order. */
public final class LabelledFiles {

    private LabelledFiles() {
    }

    public static List<LabelledText> read(List<Path> paths) {
        List<LabelledText> rows = new ArrayList<>();
        for (Path path : paths) {
            for (Path file : files(path)) {
                readFile(file, rows);
            }
        }
        return rows;
    }

    /** The labelled files a path names: itself, or a folder's {@code *.jsonl} files in name order. */
    public static List<Path> files(Path path) {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException(path + " is neither a file nor a folder");
        }
        try (Stream<Path> listing = Files.list(path)) {
            List<Path> found = listing.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
            if (found.isEmpty()) {
                throw new IllegalArgumentException(path + " holds no .jsonl file");
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(JsonNode json, String field, Path file, int number) {
        JsonNode value = json.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(file + " line " + number + ": no '" + field + "' string field");
        }
        return value.asText();
    }

    private static String optional(JsonNode json, String field, Path file, int number) {
        return json.hasNonNull(field) ? text(json, field, file, number) : null;
    }

    private static void readFile(Path file, List<LabelledText> rows) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line; (line = reader.readLine()) != null; ) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode json;
                try {
                    json = Json.mapper().readTree(line);
                } catch (IOException e) {
                    // Jackson's message quotes the line, and the line is a prompt: say only where
                    throw new IllegalArgumentException(file + " line " + number + ": not valid JSON");
                }
                String label = text(json, "label", file, number);
                if ("ambiguous".equals(label)) {
                    continue;
                }
                try {
                    rows.add(new LabelledText(text(json, "text", file, number), label, optional(json, "category", file, number),
                            optional(json, "source", file, number)));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(file + " line " + number + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }
}
