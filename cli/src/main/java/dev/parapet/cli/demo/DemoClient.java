package dev.parapet.cli.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parapet.events.codec.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** Posts the demo's queries to the ingest API and counts the HTTP answers. */
final class DemoClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;
    private final Map<Integer, Integer> statuses = new TreeMap<>();

    DemoClient(String apiUrl) {
        this.endpoint = URI.create(apiUrl + "/v1/queries");
    }

    /** Posts one query; returns the HTTP status. */
    int post(DemoRequest request) throws IOException, InterruptedException {
        ObjectNode body = Json.mapper().createObjectNode().put("query", request.query());
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + request.token())
                .header("X-Forwarded-For", request.address())
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(), HttpResponse.BodyHandlers.discarding());
        statuses.merge(response.statusCode(), 1, Integer::sum);
        return response.statusCode();
    }

    /** HTTP status to how many answers had it. */
    Map<Integer, Integer> statuses() {
        return Map.copyOf(statuses);
    }
}
