package dev.parapet.detector.ops;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.HealthStatus;
import dev.parapet.events.ops.ReadinessCheck;
import java.time.Duration;
import java.util.Optional;

/**
 * "Can the indexer reach Elasticsearch?", answered from cluster health (red counts as a problem) at most once every two seconds, so
 * a busy scraper cannot load the cluster. The connection's own timeouts bound a check to a few seconds.
 */
public final class ElasticsearchProbe implements ReadinessCheck {

    private static final long EVERY_NANOS = Duration.ofSeconds(2).toNanos();

    private final ElasticsearchClient client;
    private long checkedAt;
    private Optional<String> last = Optional.of("not checked yet");
    private boolean checked;

    public ElasticsearchProbe(ElasticsearchClient client) {
        this.client = client;
    }

    @Override
    public synchronized Optional<String> problem() {
        long now = System.nanoTime();
        if (!checked || now - checkedAt > EVERY_NANOS) {
            last = check();
            checkedAt = System.nanoTime();
            checked = true;
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
}
