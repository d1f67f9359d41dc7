package dev.parapet.ingest.app;

import dev.parapet.auth.TokenVerifier;
import dev.parapet.ingest.edge.EdgeRejections;
import dev.parapet.ingest.http.ClientAddress;
import dev.parapet.ingest.http.IngestServer;
import dev.parapet.ingest.http.QueryIds;
import dev.parapet.ingest.publish.QueryPublisher;
import dev.parapet.ingest.results.QueryHistory;
import dev.parapet.ingest.results.ResultsTopology;
import dev.parapet.ingest.results.ResultsView;
import dev.parapet.events.ops.ServiceMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the edge: results store, publisher, HTTP server, and the minute flush of edge rejections. */
public final class IngestService implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(IngestService.class);

    private final QueryPublisher publisher;
    private final KafkaStreams streams;
    private final IngestServer server;
    private final ScheduledExecutorService scheduler;
    private final Admin admin;
    private KafkaStreamsMetrics streamsMetrics;

    private IngestService(QueryPublisher publisher, KafkaStreams streams, IngestServer server, ScheduledExecutorService scheduler,
                          Admin admin) {
        this.publisher = publisher;
        this.streams = streams;
        this.server = server;
        this.scheduler = scheduler;
        this.admin = admin;
    }

    public static IngestService start(IngestConfig config, Clock clock, Duration awaitRunning) {
        ResultsView results = new ResultsView();
        Properties props = new Properties();
        props.putAll(config.kafka().clientProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().resolve("ingest").toString());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // responses and idempotency markers are read as committed: the policy stage writes blocked
        // responses in exactly-once transactions, and an aborted one must never reach a user
        props.put(StreamsConfig.globalConsumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        KafkaStreams streams = new KafkaStreams(ResultsTopology.build(config.kafka().topics(), results::onResponse), props);
        results.attach(streams);
        streams.start();
        awaitRunning(streams, awaitRunning);
        int known = results.rebuildHistory();
        LOGGER.atInfo().addKeyValue("responses", known).log("query history rebuilt from the results store");

        QueryPublisher publisher = new QueryPublisher(config.kafka());
        Admin admin = Admin.create(config.kafka().clientProperties());
        BrokerProbe probe = new BrokerProbe(admin);
        EdgeRejections rejections = new EdgeRejections();
        PrometheusMeterRegistry metrics = ServiceMetrics.create();
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(metrics);
        publisher.bindTo(metrics);
        IngestServer server = new IngestServer(new IngestServer.Settings(config.host(), config.port(), config.maxWait(),
                config.maxQueryChars(), config.ipPerMinute(), new ClientAddress(config.trustedProxies()), config.corsOrigins()), publisher, results,
                new TokenVerifier(config.verifier(), clock), new QueryIds(config.idSecret().bytes()), rejections, metrics, clock,
                probe::reachable).start();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ingest-edge-flush");
            t.setDaemon(true);
            return t;
        });
        long flushMs = config.edgeFlushInterval().toMillis();
        scheduler.scheduleAtFixedRate(() -> flush(rejections, publisher, clock), flushMs, flushMs, TimeUnit.MILLISECONDS);
        scheduler.scheduleAtFixedRate(server::sweep, 5, 5, TimeUnit.MINUTES);
        // the history holds what llm.responses retains (7 days by default), no longer
        scheduler.scheduleAtFixedRate(() -> results.forgetHistoryBefore(clock.instant().minus(QueryHistory.MAX_AGE)), 5, 5, TimeUnit.MINUTES);
        LOGGER.atInfo().addKeyValue("port", server.port()).log("ingest api listening");
        IngestService service = new IngestService(publisher, streams, server, scheduler, admin);
        service.streamsMetrics = streamsMetrics;
        return service;
    }

    static void flush(EdgeRejections rejections, QueryPublisher publisher, Clock clock) {
        try {
            for (var entry : rejections.drain(clock.instant())) {
                publisher.publish(entry.getKey(), entry.getValue());
            }
        } catch (RuntimeException e) {
            LOGGER.atWarn().addKeyValue("error", e.getClass().getSimpleName()).log("could not publish edge rejections");
        }
    }

    public int port() {
        return server.port();
    }

    private static void awaitRunning(KafkaStreams streams, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
                streams.close(Duration.ofSeconds(10));
                throw new IllegalStateException("results store did not start (state " + streams.state() + ")");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        server.close();
        publisher.close();
        streams.close(Duration.ofSeconds(20));
        admin.close(Duration.ofSeconds(5));
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
    }

    /** Answers "is the broker reachable?" from a cached probe, at most one request every two seconds. */
    static final class BrokerProbe {
        private final Admin admin;
        private volatile long checkedAt;
        private volatile boolean reachable;

        BrokerProbe(Admin admin) {
            this.admin = admin;
        }

        boolean reachable() {
            long now = System.nanoTime();
            if (now - checkedAt > TimeUnit.SECONDS.toNanos(2)) {
                try {
                    admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                    reachable = true;
                } catch (Exception e) {
                    reachable = false;
                }
                checkedAt = now;
            }
            return reachable;
        }
    }
}
