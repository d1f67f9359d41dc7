package dev.parapet.cli.revoke;

import dev.parapet.cli.stack.StackEnvironment;
import dev.parapet.events.Revocation;
import dev.parapet.events.SchemaVersion;
import dev.parapet.events.config.EnvReader;
import dev.parapet.events.config.KafkaSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code parapet revoke}: blocks a user or one token, for good or for a while. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = {"Revoke every token of a user, or one token by jti. Takes effect for queries that arrive after it.",
                "Lift it with 'parapet unrevoke'."})
public final class RevokeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private RevocationTargetOption target;

    @Option(names = "--for", description = "lapse after this long, such as 30m or 1h (default: until lifted)")
    private String duration;

    @Option(names = "--reason", defaultValue = "revoked from the command line", description = "why, for the audit trail")
    private String reason;

    @Override
    public Integer call() {
        String id = target.id();
        Instant now = Instant.now();
        Instant expires = null;
        if (duration != null) {
            Duration length = EnvReader.parseDuration(duration).filter(d -> !d.isZero())
                    .orElseThrow(() -> new IllegalArgumentException("--for must be a positive duration like 30m or 1h, got '" + duration + "'"));
            expires = now.plus(length);
        }
        KafkaSettings kafka = StackEnvironment.kafka();
        Revocation revocation = new Revocation(SchemaVersion.CURRENT, target.target(), id, now, expires, reason,
                "cli:" + System.getProperty("user.name"));
        RevocationPublisher.publish(kafka, revocation.key(), revocation);
        spec.commandLine().getOut().println("revoked " + revocation.key() + (expires == null ? " until lifted" : " until " + expires));
        return 0;
    }
}
