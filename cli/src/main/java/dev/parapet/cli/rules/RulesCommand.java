package dev.parapet.cli.rules;

import picocli.CommandLine.Command;

/** {@code parapet rules}: work with content rule packs offline. */
@Command(name = "rules", mixinStandardHelpOptions = true, description = "Work with content rule packs offline.",
        subcommands = RulesTestCommand.class)
public final class RulesCommand implements Runnable {

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: test");
    }
}
