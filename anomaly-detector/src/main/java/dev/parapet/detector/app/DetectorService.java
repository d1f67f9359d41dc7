package dev.parapet.detector.app;

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
    private final Optional<ElasticsearchIndexer> indexer;
    private final List<WebhookDispatcher> dispatchers;

    private DetectorService(KafkaStreams streams, Optional<ElasticsearchConnection> connection, Optional<ElasticsearchIndexer> indexer,
                            List<WebhookDispatcher> dispatchers) {
        this.streams = streams;
        this.connection = connection;
        this.indexer = indexer;
        this.dispatchers = dispatchers;
    }

    public static DetectorService start(DetectorConfig config, Clock clock, Duration awaitRunning) throws IOException, InterruptedException {
        Optional<ElasticsearchConnection> connection = config.elasticsearchUrl().map(ElasticsearchConnection::new);
        Optional<ElasticsearchIndexer> indexer = Optional.empty();
        if (connection.isPresent()) {
            IndexTemplates.install(connection.get().client(), config.indices());
            indexer = Optional.of(ElasticsearchIndexer.start(config.kafka().clientProperties(), config.indexerGroup(), connection.get().client(),
                    new DocumentMapper(config.kafka().topics(), config.indices(), config.indexAnswers()), config.kafka().topics(),
                    config.indexerBatch()));
        }
        List<WebhookDispatcher> dispatchers = new ArrayList<>();
        for (WebhookTarget target : config.webhooks()) {
            dispatchers.add(WebhookDispatcher.start(config.kafka().clientProperties(), config.alertGroup(), target, config.kafka().topics()));
        }
        KafkaStreams streams = new KafkaStreams(DetectorTopology.build(config.detection(), clock), streamsProperties(config));
        streams.setUncaughtExceptionHandler(e -> {
            LOGGER.atError().addKeyValue("error", e.toString()).log("detector stream thread failed, replacing it");
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        DetectorService service = new DetectorService(streams, connection, indexer, dispatchers);
        service.awaitRunning(awaitRunning);
        LOGGER.atInfo().addKeyValue("indexer", indexer.isPresent()).addKeyValue("webhooks", dispatchers.size()).log("anomaly detector running");
        return service;
    }

    static Properties streamsProperties(DetectorConfig config) {
        Properties props = new Properties();
        props.putAll(config.kafka().clientProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, (int) config.commitInterval().toMillis());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, config.kafka().topics().dlq());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        return props;
    }

    private void awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING || System.nanoTime() > deadline) {
                KafkaStreams.State state = streams.state();
                close();
                throw new IllegalStateException("anomaly detector did not reach RUNNING (state " + state + ")");
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
        streams.close(Duration.ofSeconds(30));
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
        connection.ifPresent(ElasticsearchConnection::close);
    }
}
