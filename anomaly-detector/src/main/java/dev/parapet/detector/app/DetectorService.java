package dev.parapet.detector.app;

import dev.parapet.detector.ops.ConsumerGroupLag;
import dev.parapet.detector.ops.DetectorMetrics;
import dev.parapet.detector.ops.ElasticsearchProbe;
import dev.parapet.events.config.StreamsMembership;
import dev.parapet.events.config.TransactionRetry;
import dev.parapet.events.ops.OpsServer;
import dev.parapet.events.ops.Readiness;
import dev.parapet.events.ops.ServiceMetrics;
import dev.parapet.events.ops.StreamStates;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.parapet.detector.alert.WebhookDispatcher;
import dev.parapet.detector.alert.WebhookTarget;
import dev.parapet.detector.index.DocumentMapper;
import dev.parapet.detector.index.ElasticsearchConnection;
import dev.parapet.detector.index.ElasticsearchIndexer;
import dev.parapet.detector.index.IndexTemplates;
import dev.parapet.detector.topology.DetectorTopology;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detector stream (exactly-once v2), plus the Elasticsearch indexer and one alert dispatcher
 * per webhook, each in its own consumer group so none can stall another.
 */
public final class DetectorService implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(DetectorService.class);

    private final KafkaStreams streams;
    private final Optional<ElasticsearchConnection> connection;
    private volatile Optional<ElasticsearchIndexer> indexer;
    private final List<WebhookDispatcher> dispatchers;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final StreamsMembership membership;
    private OpsServer ops;

    private DetectorService(KafkaStreams streams, Optional<ElasticsearchConnection> connection, Optional<ElasticsearchIndexer> indexer,
                            List<WebhookDispatcher> dispatchers, StreamsMembership membership) {
        this.streams = streams;
        this.connection = connection;
        this.indexer = indexer;
        this.dispatchers = dispatchers;
        this.membership = membership;
    }

    public static DetectorService start(DetectorConfig config, Clock clock, Duration awaitRunning) throws IOException, InterruptedException {
        Optional<ElasticsearchConnection> connection = config.elasticsearch().map(ElasticsearchConnection::new);
        Optional<ElasticsearchIndexer> indexer = Optional.empty();
        List<WebhookDispatcher> dispatchers = new ArrayList<>();
        PrometheusMeterRegistry registry = ServiceMetrics.create();
        KafkaStreams streams = new KafkaStreams(DetectorTopology.build(config.detection(), clock, new DetectorMetrics(registry)),
                streamsProperties(config));
        streams.setUncaughtExceptionHandler(e -> {
            LOGGER.atError().addKeyValue("error", e.toString()).log("detector stream thread failed, replacing it");
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        DetectorService service = new DetectorService(streams, connection, indexer, dispatchers, config.membership());
        try {
            if (connection.isPresent()) {
                IndexTemplates.install(connection.get().client(), config.indices());
                service.indexer = Optional.of(ElasticsearchIndexer.start(config.kafka().clientProperties(), config.indexer(),
                        connection.get().client(), new DocumentMapper(config.kafka().topics(), config.indices(), config.indexAnswers()),
                        config.kafka().topics()));
            }
            for (WebhookTarget target : config.webhooks()) {
                dispatchers.add(WebhookDispatcher.start(config.kafka().clientProperties(), config.alertGroup(), target, config.kafka().topics()));
            }
            service.ops = OpsServer.start("anomaly-detector", config.ops(), service.bindMetrics(registry, config), service.readiness());
            streams.start();
            service.awaitRunning(awaitRunning);
        } catch (IOException | InterruptedException | RuntimeException e) {
            service.close();
            throw e;
        }
        LOGGER.atInfo().addKeyValue("indexer", service.indexer.isPresent()).addKeyValue("webhooks", dispatchers.size())
                .log("anomaly detector running");
        return service;
    }

    private PrometheusMeterRegistry bindMetrics(PrometheusMeterRegistry registry, DetectorConfig config) {
        StreamStates.bindGauge(registry, "parapet.detector.stream.state", () -> streams.state().name());
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        closeables.add(streamsMetrics);
        indexer.ifPresent(i -> {
            i.bindTo(registry);
            var topics = config.kafka().topics();
            ConsumerGroupLag lag = ConsumerGroupLag.start(config.kafka().clientProperties(), config.indexer().group(),
                    List.of(topics.decisions(), topics.anomalies(), topics.responses()));
            closeables.add(lag);
            Gauge.builder("parapet.indexer.lag.records", lag, ConsumerGroupLag::records)
                    .description("records on the indexed topics the indexer has not yet stored and committed").register(registry);
        });
        FunctionCounter.builder("parapet.webhook.delivered", dispatchers, ds -> ds.stream().mapToLong(WebhookDispatcher::delivered).sum())
                .description("alerts delivered to webhooks").register(registry);
        FunctionCounter.builder("parapet.webhook.failures", dispatchers, ds -> ds.stream().mapToLong(WebhookDispatcher::failures).sum())
                .description("webhook deliveries that failed (each attempt)").register(registry);
        return registry;
    }

    /** The stream runs, and where configured: the indexer and every dispatcher loop live, Elasticsearch reachable. */
    private Readiness readiness() {
        Readiness readiness = new Readiness().with("stream", StreamStates.check("detector stream", () -> streams.state().name()));
        indexer.ifPresent(i -> readiness.with("indexer", () -> i.isAlive() ? Optional.empty() : Optional.of("the Elasticsearch indexer stopped")));
        connection.ifPresent(c -> {
            ElasticsearchProbe probe = ElasticsearchProbe.start(c.client());
            closeables.add(probe);
            readiness.with("elasticsearch", probe);
        });
        if (!dispatchers.isEmpty()) {
            readiness.with("alerts", () -> dispatchers.stream().allMatch(WebhookDispatcher::isAlive) ? Optional.empty()
                    : Optional.of("an alert dispatcher stopped"));
        }
        return readiness;
    }

    /** The port of {@code /metrics}, {@code /healthz} and {@code /readyz}. */
    public int opsPort() {
        return ops.port();
    }

    static Properties streamsProperties(DetectorConfig config) {
        Properties props = new Properties();
        props.putAll(config.kafka().clientProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, (int) config.commitInterval().toMillis());
        TransactionRetry.applyTo(props);
        config.membership().applyTo(props);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, config.kafka().topics().dlq());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        return props;
    }

    private void awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING || System.nanoTime() > deadline) {
                throw new IllegalStateException("anomaly detector did not reach RUNNING (state " + streams.state() + ")");
            }
            Thread.sleep(50);
        }
    }

    /**
     * Why the service no longer does its whole job (the detector stream stopped, the indexer or a
     * dispatcher loop died), or empty while it does.
     */
    public Optional<String> problem() {
        KafkaStreams.State state = streams.state();
        if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING || state == KafkaStreams.State.PENDING_ERROR) {
            return Optional.of("detector stream is " + state);
        }
        if (indexer.isPresent() && !indexer.get().isAlive()) {
            return Optional.of("the Elasticsearch indexer stopped");
        }
        return dispatchers.stream().filter(d -> !d.isAlive()).findFirst().map(d -> "an alert dispatcher stopped");
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public Optional<ElasticsearchIndexer> indexer() {
        return indexer;
    }

    public List<WebhookDispatcher> dispatchers() {
        return List.copyOf(dispatchers);
    }

    @Override
    public void close() {
        // as the policy stage: a dynamic member leaves at once, a static one keeps its partitions for its restart
        streams.close(CloseOptions.groupMembershipOperation(membership.leaveGroupOnClose()
                        ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP : CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        for (WebhookDispatcher d : dispatchers) {
            try {
                d.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        indexer.ifPresent(i -> {
            try {
                i.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                // a probe or a metrics binder; nothing to recover
            }
        }
        connection.ifPresent(ElasticsearchConnection::close);
        if (ops != null) {
            ops.close();
        }
    }
}
