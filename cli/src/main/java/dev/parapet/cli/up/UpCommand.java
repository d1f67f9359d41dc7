package dev.parapet.cli.up;

import dev.parapet.cli.UsageError;
import dev.parapet.cli.stack.ParapetHome;
import dev.parapet.cli.stack.StackState;
import dev.parapet.cli.token.DevSecret;
import dev.parapet.cli.token.DevTokenIssuer;
import dev.parapet.cli.token.TokenRequest;
import dev.parapet.events.config.EnvReader;
import dev.parapet.events.config.TokenSettings;
import dev.parapet.events.topic.TopicCatalog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code parapet up}: the real local stack in one JVM until Ctrl-C. Prints one line with the word
 * {@code ready} and the endpoints, and publishes them in {@code .parapet/stack.json} for other
 * commands.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Run the real local stack until Ctrl-C.",
                "An in-process Kafka broker, an Elasticsearch node, the topics, and every Parapet service built so far."})
public final class UpCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--es-heap", defaultValue = "512m", description = "Elasticsearch heap (default: ${DEFAULT-VALUE})")
    private String esHeap;

    @Option(names = "--partitions", defaultValue = "3", description = "partitions per topic (default: ${DEFAULT-VALUE})")
    private int partitions;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        Path stateDir = ParapetHome.stateDir();
        StackState.readLive(stateDir).ifPresent(running -> {
            throw new UsageError("a local stack is already running (pid " + running.pid() + ", Kafka at "
                    + running.kafkaBootstrapServers() + "); stop it first");
        });
        if (!esHeap.toLowerCase(Locale.ROOT).matches("\\d+[mg]")) {
            throw new IllegalArgumentException("--es-heap must look like 512m or 1g, got '" + esHeap + "'");
        }
        EnvReader env = EnvReader.system();
        TokenSettings tokens = TokenSettings.from(env);
        String prefix = env.string("PARAPET_TOPIC_PREFIX", "");
        env.validate();
        TokenSettings signing = tokens.secret().isPresent() ? tokens : tokens.withSecret(DevSecret.loadOrCreate(stateDir));

        long started = System.nanoTime();
        out.println("parapet: starting Kafka and Elasticsearch (Ctrl-C stops everything)...");
        LocalStack stack = LocalStack.start(new TopicCatalog(prefix, partitions, Optional.empty()), esHeap, System.getenv(),
                signing.secret().orElseThrow());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
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
        }, "parapet-up-shutdown"));

        new StackState(ProcessHandle.current().pid(), Instant.now(), stack.kafka().bootstrapServers(),
                stack.elasticsearch().url(), stack.apiUrl()).write(stateDir);
        double seconds = (System.nanoTime() - started) / 1e9;
        String devToken = new DevTokenIssuer(signing).issue(
                new TokenRequest("dev-user", List.of("ai.playground.user"), signing.maxLifetime()), Instant.now());
        out.printf(Locale.ROOT, "parapet ready in %.1f s: api=%s kafka=%s elasticsearch=%s%n",
                seconds, stack.apiUrl(), stack.kafka().bootstrapServers(), stack.elasticsearch().url());
        out.println("  services: " + String.join(", ", stack.serviceNames()));
        out.println("  topics:  " + stack.topics().created().size() + " created " + stack.topics().created());
        out.println("  state:   " + stateDir.resolve("stack.json"));
        out.println("  token:   " + devToken);
        out.println("           (user dev-user, role ai.playground.user, valid " + Duration.ofHours(signing.maxLifetime().toHours()).toHours()
                + " h; more with ./parapet token --user ID --roles r1,r2)");
        out.println("  try:     curl -s -X POST " + stack.apiUrl() + "/v1/queries -H 'Content-Type: application/json' "
                + "-H \"Authorization: Bearer $TOKEN\" -d '{\"query\": \"hello\"}'");
        out.flush();
        stopped.await();
        return 130;
    }
}
