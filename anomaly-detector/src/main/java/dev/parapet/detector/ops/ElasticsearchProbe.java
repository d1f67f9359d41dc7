package dev.parapet.detector.ops;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.HealthStatus;
import dev.parapet.events.ops.ReadinessCheck;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * "Can the indexer reach Elasticsearch?" A background thread asks for cluster health every two
 * seconds; {@code /readyz} reads the last answer and never waits on the network. A node that stops
 * answering (a call stuck until the client's read timeout) is reported once no check has completed
 * for ten seconds. Red health counts as a problem.
 */
public final class ElasticsearchProbe implements ReadinessCheck, AutoCloseable {

    private static final long STALE_NANOS = Duration.ofSeconds(10).toNanos();

    private final ElasticsearchClient client;
    private final ScheduledExecutorService scheduler;
    private volatile Optional<String> last = Optional.of("not checked yet");
    private volatile long completedAt = System.nanoTime();

    private ElasticsearchProbe(ElasticsearchClient client) {
        this.client = client;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "elasticsearch-probe");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts checking at once. */
    public static ElasticsearchProbe start(ElasticsearchClient client) {
        ElasticsearchProbe probe = new ElasticsearchProbe(client);
        probe.scheduler.scheduleWithFixedDelay(probe::refresh, 0, 2, TimeUnit.SECONDS);
        return probe;
    }

    private void refresh() {
        last = check();
        completedAt = System.nanoTime();
    }

    @Override
    public Optional<String> problem() {
        long silent = System.nanoTime() - completedAt;
        if (silent > STALE_NANOS) {
            return Optional.of("Elasticsearch did not answer a health check for " + TimeUnit.NANOSECONDS.toSeconds(silent) + " s");
        }
        return last;
    }

    private Optional<String> check() {
        try {
            HealthStatus status = client.cluster().health(h -> h.timeout(t -> t.time("2s"))).status();
            return status == HealthStatus.Red ? Optional.of("Elasticsearch cluster health is red") : Optional.empty();
        } catch (Exception e) {
            return Optional.of("Elasticsearch unreachable (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
