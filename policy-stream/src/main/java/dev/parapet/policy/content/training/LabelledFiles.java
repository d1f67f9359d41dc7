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

    private static List<Path> files(Path path) {
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

    private static void readFile(Path file, List<LabelledText> rows) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line; (line = reader.readLine()) != null; ) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode json = Json.mapper().readTree(line);
                    String label = json.path("label").asText("");
                    if ("ambiguous".equals(label)) {
                        continue;
                    }
                    rows.add(new LabelledText(json.path("text").asText(null), label, json.path("category").asText(null),
                            json.path("source").asText(null)));
                } catch (IOException | RuntimeException e) {
                    throw new IllegalArgumentException(file + " line " + number + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }
}
