package dev.parapet.detector.app;

import dev.parapet.events.config.ConfigException;
import dev.parapet.events.config.EnvReader;
import dev.parapet.events.config.LogFormat;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The detector, indexer and alert dispatchers as one process: load config, start, stop on SIGTERM. */
public final class AnomalyDetectorMain {

    private AnomalyDetectorMain() {
    }

    public static void main(String[] args) throws Exception {
        Optional<String> logProblem = LogFormat.apply();
        if (logProblem.isPresent()) {
            System.err.println("anomaly-detector: " + logProblem.get());
            System.exit(2);
        }
        DetectorConfig config;
        try {
            config = DetectorConfig.from(EnvReader.system());
        } catch (ConfigException e) {
            System.err.println("anomaly-detector: " + e.getMessage());
            System.exit(2);
            return;
        }
        DetectorService service = DetectorService.start(config, Clock.systemUTC(), Duration.ofMinutes(2));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "detector-shutdown"));
        while (!stopped.await(1, TimeUnit.SECONDS)) {
            Optional<String> problem = service.problem();
            if (problem.isPresent()) {
                // let the orchestrator restart us: every consumer resumes from its committed offsets
                System.err.println("anomaly-detector: " + problem.get() + "; exiting for a restart");
                System.exit(1);
            }
        }
    }
}
