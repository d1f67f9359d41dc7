package dev.parapet.cli.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.parapet.events.codec.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kibana's saved-objects API as far as the importer uses it ({@code _bulk_get}, {@code _import}),
 * played on 127.0.0.1 because no Kibana binary can be downloaded here. It enforces what Kibana
 * enforces on these calls: the {@code kbn-xsrf} header, the credentials, a multipart {@code file}
 * part of ndjson, and {@code overwrite=true} for ids that exist.
 */
final class KibanaStandIn implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, ObjectNode> stored = new ConcurrentHashMap<>();
    private final AtomicInteger imports = new AtomicInteger();
    private final String expectedAuthorization;

    KibanaStandIn(String expectedAuthorization) throws IOException {
        this.expectedAuthorization = expectedAuthorization;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/saved_objects/_bulk_get", this::bulkGet);
        server.createContext("/api/saved_objects/_import", this::importObjects);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int imports() {
        return imports.get();
    }

    Map<String, ObjectNode> stored() {
        return stored;
    }

    private boolean refused(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            reply(exchange, 405, "{\"message\":\"method not allowed\"}");
            return true;
        }
        if (exchange.getRequestHeaders().getFirst("kbn-xsrf") == null) {
            reply(exchange, 400, "{\"statusCode\":400,\"error\":\"Bad Request\",\"message\":\"Request must contain a kbn-xsrf header.\"}");
            return true;
        }
        if (expectedAuthorization != null && !expectedAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            reply(exchange, 401, "{\"statusCode\":401,\"error\":\"Unauthorized\",\"message\":\"Unauthorized\"}");
            return true;
        }
        return false;
    }

    private void bulkGet(HttpExchange exchange) throws IOException {
        if (refused(exchange)) {
            return;
        }
        ObjectNode answer = Json.mapper().createObjectNode();
        ArrayNode objects = answer.putArray("saved_objects");
        for (JsonNode wanted : Json.mapper().readTree(exchange.getRequestBody())) {
            String key = wanted.path("type").asText() + "/" + wanted.path("id").asText();
            ObjectNode found = stored.get(key);
            if (found != null) {
                objects.add(found);
            } else {
                objects.addObject().put("id", wanted.path("id").asText()).put("type", wanted.path("type").asText())
                        .putObject("error").put("statusCode", 404).put("error", "Not Found").put("message", "Saved object [" + key + "] not found");
            }
        }
        reply(exchange, 200, answer.toString());
    }

    private void importObjects(HttpExchange exchange) throws IOException {
        if (refused(exchange)) {
            return;
        }
        imports.incrementAndGet();
        boolean overwrite = String.valueOf(exchange.getRequestURI().getQuery()).contains("overwrite=true");
        String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
        Matcher boundary = Pattern.compile("boundary=(\\S+)").matcher(contentType);
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!contentType.startsWith("multipart/form-data") || !boundary.find() || !body.contains("name=\"file\"")) {
            reply(exchange, 415, "{\"message\":\"expected multipart/form-data with a file part\"}");
            return;
        }
        String part = body.substring(body.indexOf("\r\n\r\n") + 4, body.lastIndexOf("\r\n--" + boundary.group(1)));
        ObjectNode answer = Json.mapper().createObjectNode();
        ArrayNode errors = answer.putArray("errors");
        int success = 0;
        for (String line : part.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            ObjectNode object = (ObjectNode) Json.mapper().readTree(line);
            String key = object.path("type").asText() + "/" + object.path("id").asText();
            if (stored.containsKey(key) && !overwrite) {
                errors.addObject().put("id", object.path("id").asText()).put("type", object.path("type").asText())
                        .putObject("error").put("type", "conflict");
                continue;
            }
            stored.put(key, object);
            success++;
        }
        answer.put("success", errors.isEmpty()).put("successCount", success);
        reply(exchange, 200, answer.toString());
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
