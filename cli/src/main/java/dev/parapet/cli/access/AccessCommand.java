package dev.parapet.cli.access;

import dev.parapet.cli.stack.StackEnvironment;
import dev.parapet.events.config.EnvReader;
import dev.parapet.events.config.KafkaSettings;
import dev.parapet.events.config.Secret;
import dev.parapet.events.topic.BootstrapReport;
import dev.parapet.events.topic.TopicBootstrap;
import dev.parapet.events.topic.TopicCatalog;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code parapet access apply|show}: the setup job of a secured cluster. {@code apply} creates the
 * missing topics, sets each service's SCRAM password and makes the ACLs match {@link AccessPlan};
 * {@code show} prints the plan.
 */
@Command(name = "access", mixinStandardHelpOptions = true,
        description = {"Set up a secured Kafka cluster for Parapet (apply), or print who may do what (show).",
                "apply: creates missing topics, sets the SCRAM-SHA-512 password of each service account from",
                "PARAPET_SCRAM_{INGEST,POLICY,WORKER,DETECTOR}_PASSWORD and makes the ACLs of those accounts match the plan.",
                "It must connect as a super user (KAFKA_SECURITY_PROTOCOL with KAFKA_SSL_KEYSTORE_FILE or SASL credentials).",
                "Topic drift is reported, never changed, and makes the exit code 1."})
public final class AccessCommand implements Callable<Integer> {

    private static final int MIN_PASSWORD_BYTES = 16;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", defaultValue = "show", description = "apply or show (default: show)")
    private String action;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        switch (action.toLowerCase(Locale.ROOT)) {
            case "show" -> {
                EnvReader env = EnvReader.of(System.getenv());
                TopicCatalog topics = new TopicCatalog(env.string("PARAPET_TOPIC_PREFIX", ""), 1, Optional.empty());
                print(AccessPlan.of(topics, AccessNames.from(env)), out);
                return 0;
            }
            case "apply" -> {
                return apply(out);
            }
            default -> throw new IllegalArgumentException("unknown action '" + action + "': use apply or show");
        }
    }

    private int apply(PrintWriter out) {
        Map<String, String> environment = StackEnvironment.resolve();
        EnvReader env = EnvReader.of(environment);
        Map<ServiceAccount, Secret> passwords = new EnumMap<>(ServiceAccount.class);
        for (ServiceAccount account : ServiceAccount.values()) {
            Secret password = env.secret(account.passwordVariable(), MIN_PASSWORD_BYTES);
            if (password != null) {
                passwords.put(account, password);
            }
        }
        AccessNames names = AccessNames.from(env);
        env.validate();
        KafkaSettings kafka = StackEnvironment.kafka();
        AccessPlan plan = AccessPlan.of(kafka.topics(), names);
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            BootstrapReport topics = new TopicBootstrap(admin, Duration.ofSeconds(30)).apply(kafka.topics().specs());
            out.printf("topics: %d created, %d already there%n", topics.created().size(), topics.existing().size());
            topics.drift().forEach(drift -> out.println("DRIFT    " + drift));
            AccessApplier.Report report = new AccessApplier(admin, Duration.ofSeconds(30)).apply(plan, passwords);
            out.printf("users: SCRAM-SHA-512 password set for %s%n", String.join(", ", report.usersSet()));
            out.printf("acls: %d added, %d unchanged, %d removed%n", report.aclsAdded(), report.aclsUnchanged(),
                    report.aclsRemoved().size());
            report.aclsRemoved().forEach(b -> out.println("removed  " + b));
            return topics.hasDrift() ? 1 : 0;
        }
    }

    static void print(AccessPlan plan, PrintWriter out) {
        out.printf("%-18s %-17s %-9s %-40s %s%n", "ACCOUNT", "RESOURCE", "PATTERN", "NAME", "OPERATION");
        for (ServiceAccount account : ServiceAccount.values()) {
            plan.of(account).forEach(g -> out.printf("%-18s %-17s %-9s %-40s %s%n", account.user(), g.type(), g.pattern(),
                    g.name(), g.operation()));
        }
    }
}
