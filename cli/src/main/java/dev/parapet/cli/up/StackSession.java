package dev.parapet.cli.up;

import dev.parapet.cli.UsageError;
import dev.parapet.cli.stack.ParapetHome;
import dev.parapet.cli.stack.StackState;
import dev.parapet.cli.token.DevSecret;
import dev.parapet.events.config.EnvReader;
import dev.parapet.events.config.TokenSettings;
import dev.parapet.events.topic.TopicCatalog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * A local stack started by a command ({@code up}, {@code demo}): refuses to start a second one,
 * signs with {@code SECRET_KEY} or the dev key, publishes {@code stack.json}, and stops everything
 * on {@link #stop()} or when the JVM is asked to exit (Ctrl-C, SIGTERM).
 */
public final class StackSession {

    private final LocalStack stack;
    private final TokenSettings signing;
    private final Path stateDir;
    private final double startSeconds;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final PrintWriter out;
    private boolean stopping;

    private StackSession(LocalStack stack, TokenSettings signing, Path stateDir, double startSeconds, PrintWriter out) {
        this.stack = stack;
        this.signing = signing;
        this.stateDir = stateDir;
        this.startSeconds = startSeconds;
        this.out = out;
    }

    public static StackSession start(PrintWriter out, String esHeap, int partitions) {
        Path stateDir = ParapetHome.stateDir();
        StackState.readLive(stateDir).ifPresent(running -> {
            throw new UsageError("a local stack is already running (pid " + running.pid() + ", Kafka at "
                    + running.kafkaBootstrapServers() + "); stop it first");
        });
        if (!esHeap.toLowerCase(Locale.ROOT).matches("\\d+[mg]")) {
            throw new UsageError("--es-heap must look like 512m or 1g, got '" + esHeap + "'");
        }
        EnvReader env = EnvReader.system();
        TokenSettings tokens = TokenSettings.from(env);
        String prefix = env.string("PARAPET_TOPIC_PREFIX", "");
        env.validate();
        TokenSettings signing = tokens.secret().isPresent() ? tokens : tokens.withSecret(DevSecret.loadOrCreate(stateDir));
        long started = System.nanoTime();
        out.println("parapet: starting Kafka and Elasticsearch (Ctrl-C stops everything)...");
        out.flush();
        LocalStack stack = LocalStack.start(new TopicCatalog(prefix, partitions, Optional.empty()), esHeap, System.getenv(),
                signing.secret().orElseThrow());
        StackSession session = new StackSession(stack, signing, stateDir, (System.nanoTime() - started) / 1e9, out);
        Runtime.getRuntime().addShutdownHook(new Thread(session::stop, "parapet-stack-shutdown"));
        new StackState(ProcessHandle.current().pid(), Instant.now(), stack.kafka().bootstrapServers(),
                stack.elasticsearch().url(), stack.apiUrl()).write(stateDir);
        return session;
    }

    /** Stops the stack once; later calls wait for the first to finish. */
    public void stop() {
        synchronized (this) {
            if (stopping) {
                awaitStopped();
                return;
            }
            stopping = true;
        }
        out.println("parapet: stopping...");
        try {
            StackState.remove(stateDir);
            stack.close();
            out.println("parapet: stopped");
        } catch (RuntimeException e) {
            out.println("parapet: stopped with an error: " + e.getMessage());
        } finally {
            out.flush();
            stopped.countDown();
        }
    }

    /** Blocks until the stack has stopped. */
    public void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public LocalStack stack() {
        return stack;
    }

    public TokenSettings signing() {
        return signing;
    }

    public Path stateDir() {
        return stateDir;
    }

    public double startSeconds() {
        return startSeconds;
    }
}
