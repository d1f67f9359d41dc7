package dev.parapet.cli.revoke;

import dev.parapet.cli.stack.StackEnvironment;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code parapet unrevoke}: lifts a revocation by writing a tombstone under its key. */
@Command(name = "unrevoke", mixinStandardHelpOptions = true, description = "Lift a revocation of a user or a jti.")
public final class UnrevokeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private RevocationTargetOption target;

    @Override
    public Integer call() {
        String key = target.target().key(target.id());
        RevocationPublisher.publish(StackEnvironment.kafka(), key, null);
        spec.commandLine().getOut().println("lifted " + key);
        return 0;
    }
}
