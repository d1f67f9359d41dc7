package dev.parapet.worker.app;

import dev.parapet.worker.delivery.LlmWorker;
import dev.parapet.worker.delivery.QueryHandler;
import dev.parapet.worker.delivery.ResponseLedger;
import dev.parapet.worker.llm.LlmClient;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The worker wired from its config: model client, ledger, parallel consumer. */
public final class WorkerService implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(WorkerService.class);

    private final LlmWorker worker;

    private WorkerService(LlmWorker worker) {
        this.worker = worker;
    }

    public static WorkerService start(WorkerConfig config, Clock clock) throws InterruptedException {
        return start(config, ProviderFactory.client(config), clock);
    }

    /** Starts with a given model client (the offline answerer is costly to build; the local stack builds it once). */
    public static WorkerService start(WorkerConfig config, LlmClient client, Clock clock) throws InterruptedException {
        Objects.requireNonNull(config, "config can't be null");
        QueryHandler handler = new QueryHandler(config.prompt(), client, ProviderFactory.modelName(config), clock);
        ResponseLedger ledger = new ResponseLedger(config.kafka().clientProperties(), config.kafka().topics().responses(),
                config.responseLookBack(), clock);
        LlmWorker worker;
        try {
            worker = LlmWorker.start(config.kafka().clientProperties(), config.kafka().topics(), config.groupId(), handler, ledger,
                    config.concurrency(), config.drainTimeout());
        } catch (RuntimeException | InterruptedException e) {
            ledger.close();
            throw e;
        }
        LOGGER.atInfo().addKeyValue("provider", config.provider()).addKeyValue("model", ProviderFactory.modelName(config))
                .log("llm worker running");
        return new WorkerService(worker);
    }

    public LlmWorker worker() {
        return worker;
    }

    @Override
    public void close() throws InterruptedException {
        worker.close();
    }
}
