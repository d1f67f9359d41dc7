package dev.parapet.worker.llm;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible chat completions endpoint on 127.0.0.1 that plays a script: each request
 * takes the next step (an answer, a status code, or a slow answer); an empty script answers "ok".
 */
final class FakeOpenAiServer implements AutoCloseable {

    /** One scripted reply. */
    record Step(int status, String content, long delayMs) {
        static Step answer(String content) {
            return new Step(200, content, 0);
        }

        static Step status(int status) {
            return new Step(status, null, 0);
        }

        static Step slow(long delayMs) {
            return new Step(200, "late", delayMs);
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedDeque<Step> script = new ConcurrentLinkedDeque<>();
    private final AtomicInteger requests = new AtomicInteger();

    FakeOpenAiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/v1/chat/completions", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            Step step = script.isEmpty() ? Step.answer("ok") : script.poll();
            try {
                Thread.sleep(step.delayMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String body = step.status() == 200
                    ? "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"fake-model\",\"choices\":[{\"index\":0,"
                    + "\"message\":{\"role\":\"assistant\",\"content\":" + json(step.content()) + "},\"finish_reason\":\"stop\"}],"
                    + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":5,\"total_tokens\":17}}"
                    : "{\"error\":{\"message\":\"scripted " + step.status() + "\",\"type\":\"server_error\"}}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            try {
                exchange.sendResponseHeaders(step.status(), bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            } catch (IOException e) {
                // the client gave up (timeout): nothing to answer
            }
        });
        server.start();
    }

    void script(Step... steps) {
        script.clear();
        java.util.Collections.addAll(script, steps);
    }

    int requests() {
        return requests.get();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
