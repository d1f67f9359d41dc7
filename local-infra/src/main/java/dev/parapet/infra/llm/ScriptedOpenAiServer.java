package dev.parapet.infra.llm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible chat completions endpoint ({@code /v1/chat/completions}; also Ollama's
 * {@code /api/chat} and Bedrock's {@code /model/ID/converse}) on 127.0.0.1 that plays a script: each request
 * takes the next step (an answer, a status code, or a slow answer); an empty script answers "ok"
 * after the default delay. It keeps every request body, so tests can count what the model was asked.
 * For tests and benchmarks: the one external service Parapet calls, played locally.
 */
public final class ScriptedOpenAiServer implements AutoCloseable {

    /** One scripted reply. */
    public record Step(int status, String content, long delayMs) {
        public static Step answer(String content) {
            return new Step(200, content, 0);
        }

        public static Step status(int status) {
            return new Step(status, null, 0);
        }

        public static Step slow(long delayMs) {
            return new Step(200, "late", delayMs);
        }
    }

    /** Which API a request came in on, and so the shape of its answer. */
    private enum Flavour { OPENAI, OLLAMA, BEDROCK }

    private final HttpServer server;
    private final ConcurrentLinkedDeque<Step> script = new ConcurrentLinkedDeque<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> bodies = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile long defaultDelayMs;
    private volatile boolean keepBodies = true;

    public ScriptedOpenAiServer() throws IOException {
        // without TCP_NODELAY the JDK server's separate header and body writes meet the client's
        // delayed ACK and every answer arrives ~40 ms late; a real provider does not add that
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/v1/chat/completions", exchange -> answer(exchange, Flavour.OPENAI));
        // Ollama's native chat API and Bedrock's Converse API play the same script
        server.createContext("/api/chat", exchange -> answer(exchange, Flavour.OLLAMA));
        server.createContext("/model/", exchange -> answer(exchange, Flavour.BEDROCK));
        server.start();
    }

    private void answer(HttpExchange exchange, Flavour flavour) throws IOException {
        requests.incrementAndGet();
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        byte[] request = exchange.getRequestBody().readAllBytes();
        if (keepBodies) {
            bodies.add(new String(request, StandardCharsets.UTF_8));
        }
        Step polled = script.poll();
        Step step = polled == null ? new Step(200, "ok", defaultDelayMs) : polled;
        try {
            Thread.sleep(step.delayMs());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String body;
        if (step.status() != 200 && flavour == Flavour.BEDROCK) {
            body = "{\"message\":\"scripted " + step.status() + "\"}";
            exchange.getResponseHeaders().add("x-amzn-ErrorType", step.status() == 429 ? "ThrottlingException"
                    : step.status() >= 500 ? "InternalServerException" : "ValidationException");
        } else if (step.status() != 200) {
            body = "{\"error\":{\"message\":\"scripted " + step.status() + "\",\"type\":\"server_error\"}}";
        } else if (flavour == Flavour.BEDROCK) {
            body = "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":" + json(step.content()) + "}]}},"
                    + "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":12,\"outputTokens\":5,\"totalTokens\":17},"
                    + "\"metrics\":{\"latencyMs\":1}}";
        } else if (flavour == Flavour.OLLAMA) {
            body = "{\"model\":\"fake-model\",\"created_at\":\"2026-11-22T00:00:00Z\",\"message\":{\"role\":\"assistant\",\"content\":"
                    + json(step.content()) + "},\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":12,\"eval_count\":5}";
        } else {
            body = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"fake-model\",\"choices\":[{\"index\":0,"
                    + "\"message\":{\"role\":\"assistant\",\"content\":" + json(step.content()) + "},\"finish_reason\":\"stop\"}],"
                    + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":5,\"total_tokens\":17}}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        try {
            exchange.sendResponseHeaders(step.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // the client gave up (timeout): nothing to answer
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Answers "ok" after {@code millis} when the script is empty. */
    public void defaultDelay(long millis) {
        this.defaultDelayMs = millis;
    }

    /** Stops keeping request bodies (for long benchmarks). */
    public void forgetBodies() {
        keepBodies = false;
        bodies.clear();
    }

    /** Every request body received so far, in arrival order. */
    public List<String> bodies() {
        return List.copyOf(bodies);
    }

    public void script(Step... steps) {
        script.clear();
        java.util.Collections.addAll(script, steps);
    }

    /** The most requests this server was answering at the same time. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    public int requests() {
        return requests.get();
    }

    public String baseUrl() {
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
