package dev.parapet.cli.audit;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code parapet audit}: check and export the tamper-evident decision log. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Check or export the hash-chained decision log.",
        subcommands = {AuditVerifyCommand.class, AuditExportCommand.class})
public final class AuditCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: verify or export");
    }
}
