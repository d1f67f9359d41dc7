package dev.parapet.ingest.app;

import dev.parapet.events.config.ConfigException;
import dev.parapet.events.config.EnvReader;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** The edge as its own process: load config, start, stop on SIGTERM. */
public final class IngestMain {

    private IngestMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        java.util.Optional<String> logProblem = dev.parapet.events.config.LogFormat.apply();
        if (logProblem.isPresent()) {
            System.err.println("ingest-api: " + logProblem.get());
            System.exit(2);
        }
        IngestConfig config;
        try {
            config = IngestConfig.from(EnvReader.system(), Optional.empty());
        } catch (ConfigException e) {
            System.err.println("ingest-api: " + e.getMessage());
            System.exit(2);
            return;
        }
        IngestService service = IngestService.start(config, Clock.systemUTC(), Duration.ofMinutes(2));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "ingest-shutdown"));
        stopped.await();
    }
}
