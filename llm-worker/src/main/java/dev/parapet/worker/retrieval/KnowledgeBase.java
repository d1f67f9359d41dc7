package dev.parapet.worker.retrieval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads role-labelled documents. Each file starts with front matter naming who may read it:
 * <pre>
 * ---
 * roles: soc.analyst, security.admin
 * ---
 * body...
 * </pre>
 * A file without that label is refused, with its name in the error: an unlabelled document
 * would otherwise be readable by everyone, which is the leak this guards against.
 */
public final class KnowledgeBase {

    /** The documents shipped with Parapet, listed in {@code knowledge/index.txt} on the classpath. */
    private static final String BUILT_IN_INDEX = "knowledge/index.txt";

    private KnowledgeBase() {
    }

    /** The built-in documents. */
    public static List<KnowledgeDocument> builtIn() {
        List<KnowledgeDocument> documents = new ArrayList<>();
        for (String name : resource(BUILT_IN_INDEX).lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList()) {
            documents.add(parse(name, resource("knowledge/" + name)));
        }
        return List.copyOf(documents);
    }

    /** Every {@code .md} and {@code .txt} file under {@code folder}. */
    public static List<KnowledgeDocument> fromFolder(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(folder + " is not a folder");
        }
        try (Stream<Path> files = Files.walk(folder)) {
            List<KnowledgeDocument> documents = files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".md") || p.toString().endsWith(".txt"))
                    .sorted()
                    .map(p -> parse(folder.relativize(p).toString(), read(p)))
                    .toList();
            if (documents.isEmpty()) {
                throw new IllegalArgumentException(folder + " holds no .md or .txt document");
            }
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder, e);
        }
    }

    /** One document from its text, front matter included. */
    public static KnowledgeDocument parse(String name, String content) {
        String text = content.replace("\r\n", "\n");
        if (!text.startsWith("---\n")) {
            throw new IllegalArgumentException(name + ": missing front matter; start the file with ---, roles: ..., ---");
        }
        int end = text.indexOf("\n---", 4);
        if (end < 0) {
            throw new IllegalArgumentException(name + ": front matter is not closed with ---");
        }
        List<String> roles = text.substring(4, end).lines()
                .map(String::strip)
                .filter(l -> l.startsWith("roles:"))
                .flatMap(l -> Arrays.stream(l.substring("roles:".length()).split(",")))
                .map(String::strip)
                .filter(r -> !r.isEmpty())
                .toList();
        if (roles.isEmpty()) {
            throw new IllegalArgumentException(name + ": front matter names no roles (use roles: * for every verified user)");
        }
        int bodyStart = text.indexOf('\n', end + 1);
        String body = bodyStart < 0 ? "" : text.substring(bodyStart + 1);
        return new KnowledgeDocument(name, roles, body.strip());
    }

    private static String resource(String path) {
        try (InputStream in = KnowledgeBase.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("built-in knowledge resource " + path + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
