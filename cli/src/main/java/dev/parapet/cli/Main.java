package dev.parapet.cli;

import dev.parapet.cli.audit.AuditCommand;
import dev.parapet.cli.revoke.RevokeCommand;
import dev.parapet.cli.revoke.UnrevokeCommand;
import dev.parapet.cli.rules.RulesCommand;
import dev.parapet.cli.token.TokenCommand;
import dev.parapet.cli.topics.TopicsCommand;
import dev.parapet.cli.up.UpCommand;
import dev.parapet.events.config.ConfigException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code parapet} command. Exit codes: 0 success, 1 failure at run time, 2 usage error
 * (unknown command, bad flag or invalid value), 130 stopped by Ctrl-C.
 */
@Command(name = "parapet",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Security gateway and monitor for LLM traffic.",
        subcommands = {UpCommand.class, dev.parapet.cli.demo.DemoCommand.class, TokenCommand.class, TopicsCommand.class, dev.parapet.cli.access.AccessCommand.class, dev.parapet.cli.elasticsearch.ElasticsearchCommand.class, RevokeCommand.class, UnrevokeCommand.class,
                AuditCommand.class, RulesCommand.class, dev.parapet.cli.detector.DetectorCommand.class, dev.parapet.cli.kibana.KibanaCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        java.util.Optional<String> logProblem = dev.parapet.events.config.LogFormat.apply();
        if (logProblem.isPresent()) {
            System.err.println("parapet: " + logProblem.get());
            System.exit(CommandLine.ExitCode.USAGE);
        }
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line and returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof UsageError || e instanceof IllegalArgumentException || e instanceof ConfigException) {
                commandLine.getErr().println("parapet " + commandLine.getCommandName() + ": " + e.getMessage());
                commandLine.getErr().println("Try 'parapet " + commandLine.getCommandName() + " --help'.");
                return CommandLine.ExitCode.USAGE;
            }
            commandLine.getErr().println("parapet " + commandLine.getCommandName() + ": " + describe(e));
            return CommandLine.ExitCode.SOFTWARE;
        });
        return cli.execute(args);
    }

    private static String describe(Throwable e) {
        StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            message.append("\n  caused by: ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
        }
        return message.toString();
    }
}
