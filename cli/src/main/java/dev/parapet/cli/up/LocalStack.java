package dev.parapet.cli.up;

import dev.parapet.detector.app.DetectorConfig;
import dev.parapet.detector.app.DetectorService;
import dev.parapet.events.config.EnvReader;
import dev.parapet.events.config.Secret;
import dev.parapet.events.topic.BootstrapReport;
import dev.parapet.events.topic.TopicBootstrap;
import dev.parapet.events.topic.TopicCatalog;
import dev.parapet.infra.elasticsearch.EmbeddedElasticsearch;
import dev.parapet.infra.kafka.EmbeddedKafka;
import dev.parapet.infra.process.RunDirs;
import dev.parapet.infra.process.TempDirs;
import dev.parapet.ingest.app.IngestConfig;
import dev.parapet.ingest.app.IngestService;
import dev.parapet.policy.app.PolicyConfig;
import dev.parapet.policy.app.PolicyService;
import dev.parapet.worker.app.WorkerConfig;
import dev.parapet.worker.app.WorkerService;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.admin.Admin;

/**
 * The real local stack in this JVM: an in-process Kafka broker and an Elasticsearch node, started
 * side by side, the catalog's topics, and the Parapet services, each configured from the
 * environment plus the stack's own endpoints. {@link #close()} stops everything in reverse order
 * and leaves no process or temp dir behind.
 */
public final class LocalStack implements AutoCloseable {

    private final EmbeddedKafka kafka;
    private final CompletableFuture<EmbeddedElasticsearch> elasticsearchStarting;
    private EmbeddedElasticsearch elasticsearch;
    private final BootstrapReport topics;
    private final TopicCatalog catalog;
    private final Path stateDir;
    private final List<AutoCloseable> services = new ArrayList<>();
    private String apiUrl;

    private LocalStack(EmbeddedKafka kafka, CompletableFuture<EmbeddedElasticsearch> elasticsearch, BootstrapReport topics,
                       TopicCatalog catalog) {
        this.catalog = catalog;
        this.kafka = kafka;
        this.elasticsearchStarting = elasticsearch;
        this.topics = topics;
        this.stateDir = RunDirs.create("parapet-state-");
    }

    /**
     * Starts Kafka and Elasticsearch side by side. Once Kafka is up and the topics exist, the
     * policy stage, the edge and the worker start in parallel while Elasticsearch is still
     * booting; the detector (which installs index templates) starts when Elasticsearch is green.
     *
     * @param environment the process environment; the stack adds its own endpoints to it
     * @param devSecret   signing key used when {@code SECRET_KEY} is not set
     */
    public static LocalStack start(TopicCatalog catalog, String elasticsearchHeap, Map<String, String> environment, Secret devSecret) {
        LocalStack stack = startInfrastructure(catalog, elasticsearchHeap);
        try {
            stack.startServices(environment, devSecret);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startServices(Map<String, String> environment, Secret devSecret) {
        Map<String, String> env = new HashMap<>(environment);
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("PARAPET_STATE_DIR", stateDir.toString());
        env.keySet().removeIf(k -> k.startsWith("KAFKA_SASL") || k.equals("KAFKA_SECURITY_PROTOCOL"));
        // the local edge listens on loopback and trusts loopback as a proxy, so the demo can simulate many clients
        env.putIfAbsent("PARAPET_API_HOST", "127.0.0.1");
        env.putIfAbsent("PARAPET_API_PORT", "0");
        env.putIfAbsent("PARAPET_TRUSTED_PROXIES", "loopback");
        // each service in this JVM serves /metrics, /healthz and /readyz on its own free loopback port
        env.put("PARAPET_OPS_HOST", "127.0.0.1");
        env.put("PARAPET_OPS_PORT", "0");
        ExecutorService pool = Executors.newFixedThreadPool(3, r -> new Thread(r, "parapet-service-start"));
        try {
            CompletableFuture<PolicyService> policy = CompletableFuture.supplyAsync(() -> PolicyService.start(
                    PolicyConfig.from(EnvReader.of(env), Optional.of(devSecret)), Clock.systemUTC(), Duration.ofMinutes(2)), pool);
            CompletableFuture<IngestService> ingest = CompletableFuture.supplyAsync(() -> IngestService.start(
                    IngestConfig.from(EnvReader.of(env), Optional.of(devSecret)), Clock.systemUTC(), Duration.ofMinutes(2)), pool);
            CompletableFuture<WorkerService> worker = CompletableFuture.supplyAsync(() -> startWorker(env), pool);
            List<CompletableFuture<? extends AutoCloseable>> started = List.of(policy, ingest, worker);
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
            for (CompletableFuture<? extends AutoCloseable> f : started) {
                if (!f.isCompletedExceptionally()) {
                    services.add(f.join());
                }
            }
            started.forEach(CompletableFuture::join); // rethrows the first failure; close() stops what did start
            elasticsearch = elasticsearchStarting.join();
            env.put("ELASTICSEARCH_URL", elasticsearch.url());
            services.add(startDetector(env));
            apiUrl = "http://127.0.0.1:" + ingest.join().port();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        } finally {
            pool.shutdown();
        }
    }

    private static WorkerService startWorker(Map<String, String> env) {
        try {
            return WorkerService.start(WorkerConfig.from(EnvReader.of(env)), Clock.systemUTC());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the llm worker", e);
        }
    }

    private static DetectorService startDetector(Map<String, String> env) {
        try {
            return DetectorService.start(DetectorConfig.from(EnvReader.of(env)), Clock.systemUTC(), Duration.ofMinutes(2));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot install the Elasticsearch index templates", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the anomaly detector", e);
        }
    }

    /** The ingest API's URL. */
    public String apiUrl() {
        return apiUrl;
    }

    /**
     * Where each service's operator endpoints are: service name to base URL. The edge serves
     * {@code /metrics}, {@code /healthz} and {@code /readyz} on its API port; the others on their own.
     */
    public Map<String, String> opsUrls() {
        Map<String, String> urls = new java.util.LinkedHashMap<>();
        for (AutoCloseable s : services) {
            if (s instanceof IngestService ingest) {
                urls.put("ingest-api", "http://127.0.0.1:" + ingest.port());
            } else if (s instanceof PolicyService policy) {
                urls.put("policy-stream", "http://127.0.0.1:" + policy.opsPort());
            } else if (s instanceof WorkerService worker) {
                urls.put("llm-worker", "http://127.0.0.1:" + worker.opsPort());
            } else if (s instanceof DetectorService detector) {
                urls.put("anomaly-detector", "http://127.0.0.1:" + detector.opsPort());
            }
        }
        return urls;
    }

    /** The services that run, by name, for the ready line. */
    public List<String> serviceNames() {
        return services.stream().map(s -> s instanceof PolicyService ? "policy-stream"
                : s instanceof IngestService ? "ingest-api"
                : s instanceof WorkerService ? "llm-worker"
                : s instanceof DetectorService ? "anomaly-detector (with Elasticsearch indexer)" : s.getClass().getSimpleName()).toList();
    }

    private static LocalStack startInfrastructure(TopicCatalog catalog, String elasticsearchHeap) {
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
            return new LocalStack(kafka, es, report, catalog);
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
        return elasticsearch != null ? elasticsearch : elasticsearchStarting.join();
    }

    /** The topic names the stack's services use. */
    public TopicCatalog topicCatalog() {
        return catalog;
    }

    public BootstrapReport topics() {
        return topics;
    }

    @Override
    public void close() {
        try {
            for (int i = services.size() - 1; i >= 0; i--) {
                try {
                    services.get(i).close();
                } catch (Exception e) {
                    // keep stopping the rest; the broker going away ends any straggler
                }
            }
            // waits for a node still booting, so it is stopped rather than orphaned
            EmbeddedElasticsearch node = elasticsearchStarting.handle((es, e) -> es).join();
            if (node != null) {
                node.close();
            }
        } finally {
            kafka.close();
            TempDirs.deleteTree(stateDir);
        }
    }
}
