package dev.parapet.detector.index;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The index templates with explicit ECS mappings (keyword, date, ip), installed idempotently
 * before anything is indexed, so the first document cannot decide a field's type.
 */
public final class IndexTemplates {

    private IndexTemplates() {
    }

    public static void install(ElasticsearchClient client, IndexNames names) throws IOException {
        for (Map.Entry<String, String> t : Map.of(names.decisions(), "decisions.json", names.anomalies(), "anomalies.json",
                names.responses(), "responses.json").entrySet()) {
            String body = resource(t.getValue()).replace("{index}", t.getKey());
            client.indices().putIndexTemplate(r -> r.name(t.getKey()).withJson(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))));
        }
    }

    private static String resource(String name) {
        try (InputStream in = IndexTemplates.class.getClassLoader().getResourceAsStream("elasticsearch/" + name)) {
            if (in == null) {
                throw new IllegalStateException("index template " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
