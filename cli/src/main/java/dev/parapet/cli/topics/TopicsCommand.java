package dev.parapet.cli.topics;

import dev.parapet.cli.stack.StackEnvironment;
import dev.parapet.events.config.KafkaSettings;
import dev.parapet.events.topic.BootstrapReport;
import dev.parapet.events.topic.TopicBootstrap;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code parapet topics apply|describe}: creates missing topics or shows them, and reports drift (exit 1). */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = {"Create the missing Parapet topics (apply) or show them (describe).",
                "Drift between existing topics and the catalog is reported, never changed, and makes the exit code 1.",
                "Talks to KAFKA_BOOTSTRAP_SERVERS, else to the running local stack."})
public final class TopicsCommand implements Callable<Integer> {

    /** What to do. */
    enum Action { APPLY, DESCRIBE }

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", defaultValue = "describe", description = "apply or describe (default: describe)")
    private String action;

    @Override
    public Integer call() {
        Action chosen;
        try {
            chosen = Action.valueOf(action.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown action '" + action + "': use apply or describe");
        }
        KafkaSettings kafka = StackEnvironment.kafka();
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            TopicBootstrap bootstrap = new TopicBootstrap(admin, Duration.ofSeconds(30));
            BootstrapReport report = chosen == Action.APPLY
                    ? bootstrap.apply(kafka.topics().specs())
                    : bootstrap.describe(kafka.topics().specs());
            print(report, kafka, spec.commandLine().getOut());
            return report.hasDrift() ? 1 : 0;
        }
    }

    private static void print(BootstrapReport report, KafkaSettings kafka, PrintWriter out) {
        kafka.topics().specs().forEach(topic -> {
            String status = report.created().contains(topic.name()) ? "created"
                    : report.existing().contains(topic.name()) ? "exists" : "missing";
            out.printf("%-8s %-40s partitions=%d %s%n", status, topic.name(), topic.partitions(), topic.configs());
        });
        report.drift().forEach(drift -> out.println("DRIFT    " + drift));
    }
}
