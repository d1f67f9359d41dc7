package dev.parapet.cli.up;

import dev.parapet.cli.token.DevTokenIssuer;
import dev.parapet.cli.token.TokenRequest;
import dev.parapet.events.config.TokenSettings;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
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
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        StackSession session = StackSession.start(out, esHeap, partitions);
        LocalStack stack = session.stack();
        TokenSettings signing = session.signing();
        String devToken = new DevTokenIssuer(signing).issue(
                new TokenRequest("dev-user", List.of("ai.playground.user"), signing.maxLifetime()), Instant.now());
        out.printf(Locale.ROOT, "parapet ready in %.1f s: api=%s kafka=%s elasticsearch=%s%n",
                session.startSeconds(), stack.apiUrl(), stack.kafka().bootstrapServers(), stack.elasticsearch().url());
        out.println("  services: " + String.join(", ", stack.serviceNames()));
        out.println("  page:    " + stack.apiUrl() + "/  (the playground: paste the token below)");
        stack.opsUrls().forEach((service, url) -> out.println("  metrics: " + url + "/metrics  (" + service + "; /healthz, /readyz)"));
        out.println("  topics:  " + stack.topics().created().size() + " created " + stack.topics().created());
        out.println("  state:   " + session.stateDir().resolve("stack.json"));
        out.println("  token:   " + devToken);
        out.println("           (user dev-user, role ai.playground.user, valid " + Duration.ofHours(signing.maxLifetime().toHours()).toHours()
                + " h; more with ./parapet token --user ID --roles r1,r2)");
        out.println("  try:     curl -s -X POST " + stack.apiUrl() + "/v1/queries -H 'Content-Type: application/json' "
                + "-H \"Authorization: Bearer $TOKEN\" -d '{\"query\": \"hello\"}'");
        out.flush();
        session.awaitStopped();
        return 130;
    }
}
