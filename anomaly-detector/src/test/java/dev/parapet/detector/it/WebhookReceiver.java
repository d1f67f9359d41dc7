package dev.parapet.detector.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** A webhook on 127.0.0.1 that can be "down" (answers 503) and keeps every body it accepted. */
final class WebhookReceiver implements AutoCloseable {

    private final HttpServer server;
    private final ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean up;

    WebhookReceiver(boolean up) throws IOException {
        this.up = up;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status;
            if (this.up) {
                accepted.add(new String(body, StandardCharsets.UTF_8));
                status = 204;
            } else {
                refused.incrementAndGet();
                status = 503;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    void up() {
        up = true;
    }

    List<String> accepted() {
        return List.copyOf(accepted);
    }

    int refused() {
        return refused.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
