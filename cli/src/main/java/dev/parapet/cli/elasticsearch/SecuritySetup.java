package dev.parapet.cli.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parapet.events.codec.Json;
import dev.parapet.events.config.Secret;
import dev.parapet.events.tls.PemTrust;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies {@link SecurityPlan} to a secured cluster as an administrator: the indexer's role and
 * user, and the {@code kibana_system} password. Every call is an idempotent PUT or POST, so running
 * it again only resets the passwords to the same values.
 */
public final class SecuritySetup {

    private final HttpClient http;
    private final URI base;
    private final String authorization;

    public SecuritySetup(String url, String adminUser, Secret adminPassword, Optional<Path> caFile) {
        Objects.requireNonNull(url, "url can't be null");
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        caFile.map(PemTrust::sslContext).ifPresent(builder::sslContext);
        this.http = builder.build();
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (adminUser + ":" + adminPassword.reveal()).getBytes(StandardCharsets.UTF_8));
    }

    /** Returns one line per change made. */
    public List<String> apply(String indexPrefix, Secret indexerPassword, Optional<Secret> kibanaSystemPassword)
            throws IOException, InterruptedException {
        List<String> done = new ArrayList<>();
        send("PUT", "_security/role/" + SecurityPlan.INDEXER_ROLE, SecurityPlan.indexerRole(indexPrefix));
        done.add("role " + SecurityPlan.INDEXER_ROLE + ": cluster health, index templates; create_index, index, view_index_metadata on "
                + indexPrefix + "*");
        ObjectNode user = Json.mapper().createObjectNode();
        user.put("password", indexerPassword.reveal());
        user.putArray("roles").add(SecurityPlan.INDEXER_ROLE);
        user.put("full_name", "Parapet anomaly detector (indexer)");
        send("PUT", "_security/user/" + SecurityPlan.INDEXER_USER, user);
        done.add("user " + SecurityPlan.INDEXER_USER + ": password set, role " + SecurityPlan.INDEXER_ROLE);
        if (kibanaSystemPassword.isPresent()) {
            ObjectNode password = Json.mapper().createObjectNode().put("password", kibanaSystemPassword.get().reveal());
            send("POST", "_security/user/kibana_system/_password", password);
            done.add("user kibana_system: password set");
        }
        return done;
    }

    private JsonNode send(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body))).build();
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() / 100 != 2) {
            // the request body holds a password: name the call and Elasticsearch's error type and
            // reason, never the raw answer, which could echo the request
            throw new IllegalStateException(method + " " + path + " answered " + answer.statusCode() + errorOf(answer.body()));
        }
        return Json.mapper().readTree(answer.body());
    }

    private static String errorOf(String body) {
        try {
            JsonNode error = Json.mapper().readTree(body).path("error");
            String type = error.path("type").asText("");
            return type.isEmpty() ? "" : ": " + type;
        } catch (IOException e) {
            return "";
        }
    }
}
