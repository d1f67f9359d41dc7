package dev.parapet.cli.kibana;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code parapet kibana}: the SOC content for Kibana. */
@Command(name = "kibana", mixinStandardHelpOptions = true,
        description = "Import Parapet's dashboards, data views and saved searches into Kibana.",
        subcommands = {KibanaImportCommand.class})
public final class KibanaCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required: import");
    }
}
