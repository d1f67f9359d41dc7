package dev.parapet.worker.app;

import dev.parapet.events.ops.OpsServer;
import dev.parapet.events.ops.Readiness;
import dev.parapet.events.ops.ServiceMetrics;
import dev.parapet.worker.delivery.LlmWorker;
import dev.parapet.worker.llm.ResilientLlmClient;
import dev.parapet.worker.ops.WorkerMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import dev.parapet.worker.delivery.QueryHandler;
import dev.parapet.worker.delivery.ResponseLedger;
import dev.parapet.worker.llm.LlmClient;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The worker wired from its config: model client, ledger, key-ordered consumer. */
public final class WorkerService implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(WorkerService.class);

    private final LlmWorker worker;
    private final OpsServer ops;

    private WorkerService(LlmWorker worker, OpsServer ops) {
        this.worker = worker;
        this.ops = ops;
    }

    public static WorkerService start(WorkerConfig config, Clock clock) throws InterruptedException {
        return start(config, ProviderFactory.client(config), clock);
    }

    /** Starts with a given model client (the offline answerer is costly to build; the local stack builds it once). */
    public static WorkerService start(WorkerConfig config, LlmClient client, Clock clock) throws InterruptedException {
        Objects.requireNonNull(config, "config can't be null");
        PrometheusMeterRegistry registry = ServiceMetrics.create();
        if (client instanceof ResilientLlmClient resilient) {
            resilient.bindTo(registry);
        }
        // the endpoints answer from the start: the ledger may take minutes to catch up, and /healthz must answer meanwhile
        AtomicReference<LlmWorker> running = new AtomicReference<>();
        OpsServer ops = OpsServer.start("llm-worker", config.ops(), registry, new Readiness().with("consumer", () -> {
            LlmWorker worker = running.get();
            if (worker == null) {
                return Optional.of("starting: reading the responses already published");
            }
            return worker.failed() ? Optional.of("consumption stopped (a publish failed or the consumer died)") : Optional.empty();
        }));
        QueryHandler handler = new QueryHandler(config.prompt(), client, ProviderFactory.modelName(config), clock, new WorkerMetrics(registry));
        LlmWorker worker;
        try {
            ResponseLedger ledger = new ResponseLedger(config.kafka().clientProperties(), config.kafka().topics().responses(),
                    config.responseLookBack(), clock);
            try {
                worker = LlmWorker.start(config.kafka().clientProperties(), config.kafka().topics(), config.groupId(), handler, ledger,
                        config.concurrency(), config.drainTimeout(), registry);
            } catch (RuntimeException | InterruptedException e) {
                ledger.close();
                throw e;
            }
        } catch (RuntimeException | InterruptedException e) {
            ops.close();
            throw e;
        }
        FunctionCounter.builder("parapet.worker.queries.dead.lettered", worker, LlmWorker::deadLettered)
                .description("approved queries that could not be decoded, sent to the DLQ").register(registry);
        FunctionCounter.builder("parapet.worker.queries.published", worker, LlmWorker::answered)
                .description("responses published (answered or failed)").register(registry);
        Gauge.builder("parapet.worker.records.held", worker, LlmWorker::recordsHeld)
                .description("approved queries held in memory: waiting, in a call, or finished above an unfinished one").register(registry);
        Gauge.builder("parapet.worker.partitions.paused", worker, LlmWorker::partitionsPaused)
                .description("partitions not fetching because of back-pressure").register(registry);
        FunctionCounter.builder("parapet.worker.records.retried", worker, LlmWorker::retried)
                .description("calls that threw and were tried again after a delay").register(registry);
        running.set(worker);
        LOGGER.atInfo().addKeyValue("provider", config.provider()).addKeyValue("model", ProviderFactory.modelName(config))
                .log("llm worker running");
        return new WorkerService(worker, ops);
    }

    public LlmWorker worker() {
        return worker;
    }

    /** The port of {@code /metrics}, {@code /healthz} and {@code /readyz}. */
    public int opsPort() {
        return ops.port();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            worker.close();
        } finally {
            ops.close();
        }
    }
}
