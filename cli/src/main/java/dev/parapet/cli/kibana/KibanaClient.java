package dev.parapet.cli.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The two saved-objects calls the importer needs, over Kibana's HTTP API: {@code _bulk_get} and
 * {@code _import?overwrite=true}. Every request carries {@code kbn-xsrf} and the credentials; every
 * wait is bounded. Credentials never appear in an error message.
 */
public final class KibanaClient {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI base;
    private final Optional<String> authorization;
    private final HttpClient http;

    /**
     * @param base          Kibana's URL, with the space path ({@code /s/NAME}) when not the default space
     * @param authorization the {@code Authorization} header value, if any
     */
    public KibanaClient(URI base, Optional<String> authorization) {
        this(base, authorization, Optional.empty());
    }

    /** As above, trusting only the CA certificates of {@code caFile} for https when given. */
    public KibanaClient(URI base, Optional<String> authorization, Optional<java.nio.file.Path> caFile) {
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.authorization = authorization;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        caFile.map(dev.parapet.events.tls.PemTrust::sslContext).ifPresent(builder::sslContext);
        this.http = builder.build();
    }

    /** The stored objects among {@code wanted}, by {@code type/id}; missing ones are absent from the map. */
    public Map<String, JsonNode> bulkGet(List<SavedObject> wanted) throws IOException, InterruptedException {
        ArrayNode body = MAPPER.createArrayNode();
        wanted.forEach(o -> body.addObject().put("type", o.type()).put("id", o.id()));
        HttpResponse<String> response = send(request("/api/saved_objects/_bulk_get").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
        Map<String, JsonNode> found = new HashMap<>();
        for (JsonNode object : MAPPER.readTree(response.body()).path("saved_objects")) {
            if (object.path("error").isMissingNode() || object.path("error").isNull()) {
                found.put(object.path("type").asText() + "/" + object.path("id").asText(), object);
            }
        }
        return found;
    }

    /** Imports {@code objects} (one ndjson file), overwriting same ids; returns Kibana's answer. */
    public JsonNode importObjects(List<SavedObject> objects) throws IOException, InterruptedException {
        StringBuilder ndjson = new StringBuilder();
        objects.forEach(o -> ndjson.append(o.exported().toString()).append('\n'));
        String boundary = "parapet-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"parapet.ndjson\"\r\n"
                + "Content-Type: application/ndjson\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(ndjson.toString().getBytes(StandardCharsets.UTF_8));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = send(request("/api/saved_objects/_import?overwrite=true")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
        return MAPPER.readTree(response.body());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("kbn-xsrf", "parapet").header("Accept", "application/json");
        authorization.ifPresent(a -> builder.header("Authorization", a));
        return builder;
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException("Kibana at " + base + " did not answer " + request.uri().getPath() + ": " + e.getMessage(), e);
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new IOException("Kibana refused the credentials (HTTP " + response.statusCode() + "); set KIBANA_API_KEY or "
                    + "KIBANA_USERNAME and KIBANA_PASSWORD for a user with saved-objects write access");
        }
        if (response.statusCode() / 100 != 2) {
            String detail = response.body().length() > 300 ? response.body().substring(0, 300) + "..." : response.body();
            throw new IOException("Kibana answered HTTP " + response.statusCode() + " to " + request.uri().getPath() + ": " + detail);
        }
        return response;
    }
}
