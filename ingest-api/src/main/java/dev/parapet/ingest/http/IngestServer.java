package dev.parapet.ingest.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parapet.auth.TokenCheck;
import dev.parapet.auth.TokenVerifier;
import dev.parapet.events.IdempotencyMarker;
import dev.parapet.events.QueryResponse;
import dev.parapet.events.QuerySubmitted;
import dev.parapet.events.SchemaVersion;
import dev.parapet.events.Sha256;
import dev.parapet.events.codec.Json;
import dev.parapet.ingest.edge.EdgeRejections;
import dev.parapet.ingest.publish.EventSink;
import dev.parapet.ingest.request.Problem;
import dev.parapet.ingest.request.QueryRequest;
import dev.parapet.ingest.request.QueryRequestParser;
import dev.parapet.ingest.results.QueryHistory;
import dev.parapet.ingest.results.ResultsView;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP edge: {@code POST /v1/queries}, {@code GET /v1/queries/{id}}, health, readiness,
 * metrics and the OpenAPI document. Validation happens here, before anything is written; every
 * rejection is RFC 7807 problem JSON; nothing logged carries a token or a prompt.
 */
public final class IngestServer implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(IngestServer.class);
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final Pattern HEADER_TOKEN = Pattern.compile("[\\x21-\\x7E]{1,128}");
    static final int MAX_BODY_BYTES = 16 * 1024;
    static final long RETRY_AFTER_SECONDS = 5;

    /**
     * What the server needs.
     *
     * @param host        bind address
     * @param port        port, 0 for any free one
     * @param maxWait     longest {@code ?wait=} a GET may ask for
     * @param maxQueryChars longest prompt
     * @param ipPerMinute requests per client address per minute
     * @param addresses   client address resolution
     */
    /**
     * @param corsOrigins origins a browser page may call the API from; empty (the default) sends no CORS headers at all
     */
    public record Settings(String host, int port, Duration maxWait, int maxQueryChars, int ipPerMinute, ClientAddress addresses,
                           List<String> corsOrigins) {
        public Settings {
            corsOrigins = List.copyOf(corsOrigins);
        }
    }

    /** The playground's policy: its own scripts, styles and API only; no inline code, no framing, no other origin. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final int DEFAULT_HISTORY_PAGE = 20;
    private static final int MAX_HISTORY_PAGE = 100;

    private final Javalin app;
    private final Settings settings;
    private final QueryRequestParser parser;
    private final EventSink publisher;
    private final ResultsView results;
    private final TokenVerifier verifier;
    private final QueryIds ids;
    private final IpRateLimiter limiter;
    private final IdempotencyClaims claims = new IdempotencyClaims(Duration.ofMinutes(10));
    private final EdgeRejections rejections;
    private final PrometheusMeterRegistry metrics;
    private final Clock clock;
    private final Readiness readiness;
    private final Counter producerErrors;
    private final Counter backpressure;

    /** Whether the broker answers; supplied by the service. */
    @FunctionalInterface
    public interface Readiness {
        boolean brokerReachable();
    }

    public IngestServer(Settings settings, EventSink publisher, ResultsView results, TokenVerifier verifier, QueryIds ids,
                        EdgeRejections rejections, PrometheusMeterRegistry metrics, Clock clock, Readiness readiness) {
        this.settings = settings;
        this.parser = new QueryRequestParser(settings.maxQueryChars());
        this.publisher = publisher;
        this.results = results;
        this.verifier = verifier;
        this.ids = ids;
        this.limiter = new IpRateLimiter(settings.ipPerMinute());
        this.rejections = rejections;
        this.metrics = metrics;
        this.clock = clock;
        this.readiness = readiness;
        this.producerErrors = Counter.builder("parapet.ingest.producer.errors").description("events the broker did not take").register(metrics);
        this.backpressure = Counter.builder("parapet.ingest.backpressure.rejections")
                .description("requests refused with 429 or 503").register(metrics);
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.useVirtualThreads = false;
            // room for tokens just over the 8 KiB limit, so they get a clear 401 instead of Jetty's 431
            config.jetty.modifyHttpConfiguration(http -> http.setRequestHeaderSize(32 * 1024));
        });
        routes();
    }

    public IngestServer start() {
        app.start(settings.host(), settings.port());
        return this;
    }

    public int port() {
        return app.port();
    }

    /** Forgets idle per-address buckets; the service calls it now and then. */
    public void sweep() {
        limiter.sweep();
        claims.sweep();
    }

    private void routes() {
        app.before(ctx -> ctx.attribute("started", System.nanoTime()));
        app.before(this::securityHeaders);
        app.after(ctx -> {
            Long started = ctx.attribute("started");
            String route = ctx.endpointHandlerPath().isEmpty() ? "unmatched" : ctx.endpointHandlerPath();
            if (started != null) {
                Timer.builder("parapet.ingest.requests").tag("route", route).tag("method", ctx.method().name())
                        .tag("status", String.valueOf(ctx.statusCode())).publishPercentileHistogram()
                        .register(metrics).record(Duration.ofNanos(System.nanoTime() - started));
            }
            String requestId = ctx.header("X-Request-Id");
            if (requestId != null && HEADER_TOKEN.matcher(requestId).matches()) {
                ctx.header("X-Request-Id", requestId);
            }
        });
        app.post("/v1/queries", this::submit);
        app.get("/v1/queries/{id}", this::result);
        app.get("/v1/queries", this::history);
        app.options("/v1/*", this::preflight);
        app.get("/", ctx -> page(ctx, "index.html", "text/html; charset=utf-8"));
        app.get("/playground.js", ctx -> page(ctx, "playground.js", "text/javascript; charset=utf-8"));
        app.get("/playground.css", ctx -> page(ctx, "playground.css", "text/css; charset=utf-8"));
        app.get("/healthz", ctx -> ctx.json(Json.mapper().createObjectNode().put("status", "ok")));
        app.get("/readyz", this::ready);
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        app.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi()));
        app.error(404, ctx -> {
            if (!ctx.res().isCommitted() && ctx.attribute("problem") == null) {
                problem(ctx, new Problem(404, "Not found", "no such resource: " + ctx.method() + " " + ctx.path()));
            }
        });
        app.error(405, ctx -> problem(ctx, new Problem(405, "Method not allowed", ctx.method() + " is not allowed on " + ctx.path())));
        app.exception(Exception.class, (e, ctx) -> {
            LOGGER.atError().addKeyValue("error", e.getClass().getSimpleName()).log("request failed");
            problem(ctx, new Problem(500, "Internal error", "the request could not be handled"));
        });
    }

    private void submit(Context ctx) {
        String client = client(ctx);
        if (overLimit(ctx, client)) {
            return;
        }
        String contentType = Optional.ofNullable(ctx.contentType()).orElse("").toLowerCase(Locale.ROOT);
        if (!contentType.startsWith("application/json")) {
            problem(ctx, new Problem(415, "Unsupported media type", "send the query as application/json"));
            return;
        }
        if (ctx.contentLength() > MAX_BODY_BYTES) {
            problem(ctx, new Problem(413, "Body too large", "the body is " + ctx.contentLength() + " bytes; the limit is " + MAX_BODY_BYTES));
            return;
        }
        Optional<BearerToken> bearer = bearer(ctx, client);
        if (bearer.isEmpty()) {
            return;
        }
        byte[] body = ctx.bodyAsBytes();
        if (body.length > MAX_BODY_BYTES) {
            problem(ctx, new Problem(413, "Body too large", "the body is over " + MAX_BODY_BYTES + " bytes"));
            return;
        }
        QueryRequestParser.Result parsed = parser.parse(body);
        if (parsed instanceof QueryRequestParser.Result.Rejected rejected) {
            problem(ctx, rejected.problem());
            return;
        }
        QueryRequest request = ((QueryRequestParser.Result.Ok) parsed).request();
        String idempotencyKey = ctx.header("Idempotency-Key");
        if (idempotencyKey != null && !HEADER_TOKEN.matcher(idempotencyKey).matches()) {
            problem(ctx, Problem.badRequest("Invalid Idempotency-Key", "Idempotency-Key must be 1 to 128 visible ASCII characters"));
            return;
        }
        String requestId = ctx.header("X-Request-Id");
        if (requestId != null && !HEADER_TOKEN.matcher(requestId).matches()) {
            problem(ctx, Problem.badRequest("Invalid X-Request-Id", "X-Request-Id must be 1 to 128 visible ASCII characters"));
            return;
        }
        String subject = bearer.get().claimedSubject().orElse("anonymous@" + client);
        String key = bearer.get().claimedSubject().orElse(client);
        Instant now = clock.instant();
        String queryId;
        String markerKey = null;
        // idempotency binds to a subject the edge has verified: a forged user_id must not claim someone else's key
        boolean idempotent = idempotencyKey != null && verifier.verify(bearer.get().token()) instanceof TokenCheck.Valid valid
                && valid.token().userId().equals(subject);
        if (idempotent && !results.running()) {
            ctx.header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
            problem(ctx, new Problem(503, "Results not ready", "idempotency records are loading; retry later"));
            return;
        }
        if (idempotent) {
            queryId = ids.idempotentId(subject, idempotencyKey);
            markerKey = subject + "|" + Sha256.hex(idempotencyKey);
            Optional<IdempotencyMarker> seen = results.idempotency(markerKey)
                    .filter(m -> m.createdAt().isAfter(now.minus(Duration.ofHours(24))));
            if (seen.isPresent()) {
                accepted(ctx, seen.get().queryId());
                return;
            }
            Optional<String> inFlight = claims.claim(markerKey, queryId);
            if (inFlight.isPresent()) {
                accepted(ctx, inFlight.get());
                return;
            }
        } else {
            queryId = ids.newId(subject);
        }
        QuerySubmitted event = new QuerySubmitted(SchemaVersion.CURRENT, queryId, now, bearer.get().token(),
                bearer.get().claimedSubject().orElse(null), request.query(), request.conversationId().orElse(null),
                request.metadata(), client, ctx.userAgent(), requestId, idempotent ? idempotencyKey : null);
        String marker = markerKey;
        // the second send must not run on the producer's I/O thread (where the first completes):
        // waiting there for metadata would block the thread that fetches it
        ctx.future(() -> publisher.publish(key, event)
                .thenComposeAsync(written -> marker == null ? CompletableFuture.<Void>completedFuture(null)
                        : publisher.publish(marker, new IdempotencyMarker(SchemaVersion.CURRENT, queryId, subject, now)))
                .handle((written, error) -> {
                    if (error != null) {
                        if (marker != null) {
                            claims.release(marker, queryId);
                        }
                        producerErrors.increment();
                        backpressure.increment();
                        LOGGER.atWarn().addKeyValue("error", rootCause(error)).log("broker did not take the query");
                        ctx.header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
                        problem(ctx, new Problem(503, "Broker unavailable", "the query was not accepted; retry later"));
                    } else {
                        accepted(ctx, queryId);
                    }
                    return null;
                }));
    }

    private void result(Context ctx) {
        Optional<String> reader = verifiedReader(ctx);
        if (reader.isEmpty()) {
            return;
        }
        String user = reader.get();
        String id = ctx.pathParam("id");
        if (!ids.belongsTo(id, user)) {
            notFound(ctx, id);
            return;
        }
        Duration wait;
        try {
            wait = parseWait(ctx.queryParam("wait"));
        } catch (IllegalArgumentException e) {
            problem(ctx, Problem.badRequest("Invalid wait", e.getMessage()));
            return;
        }
        if (!results.running()) {
            resultsStarting(ctx);
            return;
        }
        if (wait.isZero()) {
            render(ctx, id, results.response(id));
            return;
        }
        ctx.future(() -> results.await(id, wait).thenAccept(response -> render(ctx, id, response)));
    }

    /**
     * The user a read request speaks for: within the address's rate, with a bearer that verifies.
     * Empty once the refusal (429 or 401) is written.
     */
    private Optional<String> verifiedReader(Context ctx) {
        String client = client(ctx);
        if (overLimit(ctx, client)) {
            return Optional.empty();
        }
        Optional<BearerToken> bearer = bearer(ctx, client);
        if (bearer.isEmpty()) {
            return Optional.empty();
        }
        TokenCheck check = verifier.verify(bearer.get().token());
        if (check instanceof TokenCheck.Invalid invalid) {
            rejections.record(client, EdgeRejections.Kind.UNAUTHENTICATED);
            unauthorized(ctx, "invalid_token", "the token does not verify (" + invalid.reason() + ")");
            return Optional.empty();
        }
        return Optional.of(((TokenCheck.Valid) check).token().userId());
    }

    private static void resultsStarting(Context ctx) {
        ctx.header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
        problem(ctx, new Problem(503, "Results not ready", "the results store is starting; retry later"));
    }

    /** {@code GET /v1/queries?limit=&before=}: the verified caller's own queries that have an outcome, newest first. */
    private void history(Context ctx) {
        Optional<String> reader = verifiedReader(ctx);
        if (reader.isEmpty()) {
            return;
        }
        String user = reader.get();
        int limit;
        try {
            String raw = ctx.queryParam("limit");
            limit = raw == null ? DEFAULT_HISTORY_PAGE : Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_HISTORY_PAGE) {
            problem(ctx, Problem.badRequest("Invalid limit", "limit must be a whole number from 1 to " + MAX_HISTORY_PAGE));
            return;
        }
        String before = ctx.queryParam("before");
        Optional<QueryHistory.Entry> cursor = QueryHistory.parseCursor(before);
        if (before != null && cursor.isEmpty()) {
            problem(ctx, Problem.badRequest("Invalid cursor", "before must be the 'next' value of an earlier page"));
            return;
        }
        if (!results.running()) {
            resultsStarting(ctx);
            return;
        }
        ObjectNode body = Json.mapper().createObjectNode();
        com.fasterxml.jackson.databind.node.ArrayNode items = body.putArray("items");
        Optional<QueryHistory.Entry> from = cursor;
        boolean more = true;
        int examined = 0;
        // entries that no longer qualify (deleted from the store) are skipped, and the page filled from the next ones
        while (items.size() < limit && more && examined < QueryHistory.PER_USER) {
            QueryHistory.Page page = results.history(user, limit - items.size(), from);
            for (QueryHistory.Entry entry : page.entries()) {
                from = Optional.of(entry);
                examined++;
                // the id was minted for this subject and the policy stage verified the token as this user
                results.response(entry.queryId()).filter(r -> user.equals(r.userId()) && ids.belongsTo(r.queryId(), user))
                        .ifPresent(r -> items.add(describe(r.queryId(), Optional.of(r))));
            }
            more = page.next().isPresent();
        }
        if (more && from.isPresent()) {
            String next = QueryHistory.cursor(from.get());
            body.put("next", next);
            body.putObject("links").put("next", "/v1/queries?limit=" + limit + "&before=" + next);
        }
        ctx.json(body);
    }

    private void page(Context ctx, String file, String contentType) throws IOException {
        try (InputStream in = IngestServer.class.getResourceAsStream("/playground/" + file)) {
            if (in == null) {
                problem(ctx, new Problem(404, "Not found", "the playground is not packaged in this build"));
                return;
            }
            ctx.contentType(contentType).header("Cache-Control", "no-cache").result(in.readAllBytes());
        }
    }

    /** Headers every answer carries: no sniffing, no referrer, no framing, a strict CSP, and CORS only for configured origins. */
    private void securityHeaders(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        if (ctx.path().startsWith("/v1/")) {
            ctx.header("Cache-Control", "no-store");
        }
        if (!settings.corsOrigins().isEmpty()) {
            ctx.header("Vary", "Origin");
        }
        String origin = ctx.header("Origin");
        if (origin != null && settings.corsOrigins().contains(origin)) {
            ctx.header("Access-Control-Allow-Origin", origin);
            ctx.header("Access-Control-Expose-Headers", "Location, Retry-After");
        }
    }

    /** CORS preflight: answered only for configured origins; anyone else gets 403 and no CORS headers. */
    private void preflight(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null || !settings.corsOrigins().contains(origin)) {
            problem(ctx, new Problem(403, "Forbidden", "cross-origin requests are not allowed from this origin"));
            return;
        }
        ctx.header("Access-Control-Allow-Methods", "GET, POST");
        ctx.header("Access-Control-Allow-Headers", "Authorization, Content-Type, Idempotency-Key, X-Request-Id");
        ctx.header("Access-Control-Max-Age", "600");
        ctx.status(204);
    }

    private void ready(Context ctx) {
        boolean broker = readiness.brokerReachable();
        boolean store = results.running();
        ObjectNode body = Json.mapper().createObjectNode().put("broker", broker).put("results_store", store);
        ctx.status(broker && store ? 200 : 503).json(body.put("status", broker && store ? "ready" : "not ready"));
    }

    private Duration parseWait(String wait) {
        if (wait == null || wait.isBlank()) {
            return Duration.ZERO;
        }
        Duration parsed = dev.parapet.events.config.EnvReader.parseDuration(wait)
                .orElseThrow(() -> new IllegalArgumentException("wait must look like 500ms, 10s or 1m"));
        if (parsed.compareTo(settings.maxWait()) > 0) {
            throw new IllegalArgumentException("wait may be at most " + settings.maxWait().toSeconds() + "s");
        }
        return parsed;
    }

    private void render(Context ctx, String id, Optional<QueryResponse> response) {
        ctx.json(describe(id, response));
    }

    private static ObjectNode describe(String id, Optional<QueryResponse> response) {
        ObjectNode body = Json.mapper().createObjectNode().put("id", id);
        if (response.isEmpty()) {
            return body.put("status", "pending");
        }
        QueryResponse r = response.get();
        body.put("status", r.status().wireName());
        body.put("responded_at", r.respondedAt().toString());
        switch (r.status()) {
            case BLOCKED -> {
                body.put("reason", r.reason());
                if (r.blockedBy() != null) {
                    body.put("blocked_by", r.blockedBy());
                }
            }
            case FAILED -> body.put("reason", r.reason());
            case ANSWERED -> {
                body.put("answer", r.answer());
                if (r.model() != null) {
                    body.put("model", r.model());
                }
                ObjectNode usage = body.putObject("usage");
                if (r.inputTokens() != null) {
                    usage.put("input_tokens", r.inputTokens());
                }
                if (r.outputTokens() != null) {
                    usage.put("output_tokens", r.outputTokens());
                }
            }
            case PENDING -> { }
        }
        return body;
    }

    private void accepted(Context ctx, String queryId) {
        ObjectNode body = Json.mapper().createObjectNode().put("id", queryId).put("status", "pending");
        body.putObject("links").put("self", "/v1/queries/" + queryId);
        ctx.status(202).header("Location", "/v1/queries/" + queryId).json(body);
    }

    private Optional<BearerToken> bearer(Context ctx, String client) {
        BearerToken.Parsed parsed = BearerToken.fromHeader(ctx.header("Authorization"));
        if (parsed instanceof BearerToken.Parsed.Ok ok) {
            return Optional.of(ok.bearer());
        }
        rejections.record(client, EdgeRejections.Kind.UNAUTHENTICATED);
        BearerToken.Failure failure = ((BearerToken.Parsed.Bad) parsed).failure();
        switch (failure) {
            case MISSING -> unauthorized(ctx, null, "an Authorization: Bearer <jwt> header is required");
            case NOT_BEARER -> unauthorized(ctx, "invalid_request", "the Authorization header must use the Bearer scheme");
            case TOO_LONG -> unauthorized(ctx, "invalid_token", "the token is longer than " + BearerToken.MAX_LENGTH + " characters");
            case NOT_A_JWT -> unauthorized(ctx, "invalid_token", "the bearer token is not a JWT");
        }
        return Optional.empty();
    }

    private boolean overLimit(Context ctx, String client) {
        long retry = limiter.tryAcquire(client);
        if (retry == 0) {
            return false;
        }
        backpressure.increment();
        rejections.record(client, EdgeRejections.Kind.RATE_LIMITED);
        ctx.header("Retry-After", String.valueOf(retry));
        problem(ctx, new Problem(429, "Too many requests", "this client address is over " + settings.ipPerMinute() + " requests per minute"));
        return true;
    }

    private void unauthorized(Context ctx, String error, String detail) {
        ctx.header("WWW-Authenticate", "Bearer realm=\"parapet\"" + (error == null ? "" : ", error=\"" + error + "\""));
        problem(ctx, new Problem(401, "Unauthorized", detail));
    }

    private void notFound(Context ctx, String id) {
        ctx.attribute("problem", true);
        problem(ctx, new Problem(404, "Not found", "no query " + (id.length() > 64 ? id.substring(0, 64) + "…" : id)));
    }

    private String client(Context ctx) {
        // every X-Forwarded-For line, in order: a proxy may append its own line after one the client sent
        java.util.List<String> lines = java.util.Collections.list(ctx.req().getHeaders("X-Forwarded-For"));
        return settings.addresses().resolve(ctx.ip(), lines.isEmpty() ? null : String.join(",", lines));
    }

    static void problem(Context ctx, Problem problem) {
        ObjectNode body = Json.mapper().createObjectNode().put("type", problem.type()).put("title", problem.title())
                .put("status", problem.status()).put("detail", problem.detail());
        ctx.status(problem.status()).contentType(PROBLEM_JSON).result(body.toString());
    }

    private static String openApi() {
        try (InputStream in = IngestServer.class.getResourceAsStream("/openapi.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName();
    }

    @Override
    public void close() {
        app.stop();
    }
}
