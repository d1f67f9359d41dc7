package dev.parapet.events.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.parapet.events.codec.Json;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator endpoints of a service without an HTTP API of its own: {@code GET /metrics}
 * (Prometheus text), {@code GET /healthz} (the process answers) and {@code GET /readyz} (200 while
 * every readiness check passes, 503 with the failing checks otherwise). Nothing here carries a
 * user, a token or a prompt.
 */
public final class OpsServer implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(OpsServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private OpsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds and serves; fails at start when the port is taken. */
    public static OpsServer start(String service, OpsSettings settings, PrometheusMeterRegistry metrics, Readiness readiness) {
        Objects.requireNonNull(service, "service can't be null");
        Objects.requireNonNull(settings, "settings can't be null");
        Objects.requireNonNull(metrics, "metrics can't be null");
        Objects.requireNonNull(readiness, "readiness can't be null");
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve " + service + " metrics on " + settings.host() + ":" + settings.port(), e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, service + "-ops");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", exchange -> respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
        server.createContext("/healthz", exchange -> respond(exchange, 200, "application/json",
                Json.mapper().createObjectNode().put("status", "ok").put("service", service).toString()));
        server.createContext("/readyz", exchange -> {
            Readiness.Report report = readiness.evaluate();
            ObjectNode body = Json.mapper().createObjectNode().put("status", report.ready() ? "ready" : "not ready").put("service", service);
            ObjectNode checks = body.putObject("checks");
            report.checks().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e -> checks.put(e.getKey(), e.getValue()));
            respond(exchange, report.ready() ? 200 : 503, "application/json", body.toString());
        });
        server.start();
        OpsServer ops = new OpsServer(server, executor);
        LOGGER.atInfo().addKeyValue("service", service).addKeyValue("port", ops.port()).log("metrics and health endpoints listening");
        return ops;
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            if (!exchange.getRequestURI().getPath().equals(exchange.getHttpContext().getPath())) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
