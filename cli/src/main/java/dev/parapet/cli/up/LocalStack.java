package dev.parapet.cli.up;

import dev.parapet.events.topic.BootstrapReport;
import dev.parapet.events.topic.TopicBootstrap;
import dev.parapet.events.topic.TopicCatalog;
import dev.parapet.infra.elasticsearch.EmbeddedElasticsearch;
import dev.parapet.infra.kafka.EmbeddedKafka;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.admin.Admin;

/**
 * The real local stack in this JVM: an in-process Kafka broker and an Elasticsearch node, started
 * side by side, and the catalog's topics. {@link #close()} stops everything in reverse order and
 * leaves no process or temp dir behind.
 */
public final class LocalStack implements AutoCloseable {

    private final EmbeddedKafka kafka;
    private final EmbeddedElasticsearch elasticsearch;
    private final BootstrapReport topics;

    private LocalStack(EmbeddedKafka kafka, EmbeddedElasticsearch elasticsearch, BootstrapReport topics) {
        this.kafka = kafka;
        this.elasticsearch = elasticsearch;
        this.topics = topics;
    }

    /** Starts Kafka and Elasticsearch in parallel, then creates the topics. */
    public static LocalStack start(TopicCatalog catalog, String elasticsearchHeap) {
        Objects.requireNonNull(catalog, "catalog can't be null");
        CompletableFuture<EmbeddedElasticsearch> es = CompletableFuture.supplyAsync(
                () -> EmbeddedElasticsearch.builder().heap(elasticsearchHeap).start());
        EmbeddedKafka kafka = null;
        try {
            kafka = EmbeddedKafka.start();
            BootstrapReport report;
            try (Admin admin = kafka.admin()) {
                report = new TopicBootstrap(admin, Duration.ofSeconds(30)).apply(catalog.specs());
            }
            return new LocalStack(kafka, es.join(), report);
        } catch (RuntimeException e) {
            es.thenAccept(EmbeddedElasticsearch::close);
            if (kafka != null) {
                kafka.close();
            }
            throw e instanceof CompletionException && e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedElasticsearch elasticsearch() {
        return elasticsearch;
    }

    public BootstrapReport topics() {
        return topics;
    }

    @Override
    public void close() {
        try {
            elasticsearch.close();
        } finally {
            kafka.close();
        }
    }
}
