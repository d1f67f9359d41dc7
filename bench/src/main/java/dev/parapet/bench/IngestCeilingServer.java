package dev.parapet.bench;

import dev.parapet.auth.TokenVerifier;
import dev.parapet.auth.VerifierConfig;
import dev.parapet.events.Decision;
import dev.parapet.events.IdempotencyMarker;
import dev.parapet.events.QuerySubmitted;
import dev.parapet.events.config.Secret;
import dev.parapet.ingest.edge.EdgeRejections;
import dev.parapet.ingest.http.ClientAddress;
import dev.parapet.ingest.http.IngestServer;
import dev.parapet.ingest.http.QueryIds;
import dev.parapet.ingest.publish.EventSink;
import dev.parapet.ingest.results.ResultsView;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The same HTTP edge with an event sink that acknowledges at once: the ceiling of this server on
 * this machine, against which the Kafka-backed edge is measured. Benchmark use only.
 */
public final class IngestCeilingServer {

    private IngestCeilingServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        EventSink instant = new EventSink() {
            @Override
            public CompletableFuture<Void> publish(String key, QuerySubmitted query) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletableFuture<Void> publish(String key, IdempotencyMarker marker) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletableFuture<Void> publish(String key, Decision decision) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void close() {
            }
        };
        new IngestServer(new IngestServer.Settings("127.0.0.1", port, Duration.ofSeconds(30), 2000, 10_000_000,
                new ClientAddress(List.of()), List.of()), instant, new ResultsView(),
                new TokenVerifier(VerifierConfig.hmac(new Secret(Workload.SECRET), "HS256"), Clock.systemUTC()),
                new QueryIds(Workload.SECRET.getBytes(StandardCharsets.UTF_8)), new EdgeRejections(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC(), () -> true).start();
        Thread.sleep(Long.MAX_VALUE);
    }
}
