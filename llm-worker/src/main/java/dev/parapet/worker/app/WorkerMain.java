package dev.parapet.worker.app;

import dev.parapet.events.config.ConfigException;
import dev.parapet.events.config.EnvReader;
import dev.parapet.events.config.LogFormat;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The worker as its own process: load config, start, drain and stop on SIGTERM. */
public final class WorkerMain {

    private WorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Optional<String> logProblem = LogFormat.apply();
        if (logProblem.isPresent()) {
            System.err.println("llm-worker: " + logProblem.get());
            System.exit(2);
        }
        WorkerConfig config;
        try {
            config = WorkerConfig.from(EnvReader.system());
        } catch (ConfigException e) {
            System.err.println("llm-worker: " + e.getMessage());
            System.exit(2);
            return;
        }
        WorkerService service = WorkerService.start(config, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                service.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopped.countDown();
        }, "worker-shutdown"));
        while (!stopped.await(1, TimeUnit.SECONDS)) {
            if (service.worker().failed()) {
                // let the orchestrator restart us: uncommitted queries are redelivered, answered ones skipped
                System.err.println("llm-worker: consumption stopped (a publish failed or the consumer died); exiting for a restart");
                System.exit(1);
            }
        }
    }
}
