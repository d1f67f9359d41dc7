package dev.parapet.policy.app;

import dev.parapet.events.config.ConfigException;
import dev.parapet.events.config.EnvReader;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** The policy stage as its own process: load config, start, stop on SIGTERM. */
public final class PolicyStreamMain {

    private PolicyStreamMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        java.util.Optional<String> logProblem = dev.parapet.events.config.LogFormat.apply();
        if (logProblem.isPresent()) {
            System.err.println("policy-stream: " + logProblem.get());
            System.exit(2);
        }
        PolicyConfig config;
        try {
            config = PolicyConfig.from(EnvReader.system(), Optional.empty());
        } catch (ConfigException e) {
            System.err.println("policy-stream: " + e.getMessage());
            System.exit(2);
            return;
        }
        PolicyService service = PolicyService.start(config, Clock.systemUTC(), Duration.ofMinutes(2));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "policy-shutdown"));
        stopped.await();
    }
}
