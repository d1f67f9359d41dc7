package dev.parapet.cli.detector;

import picocli.CommandLine.Command;

/** {@code parapet detector}: train, evaluate and compare the learned content detector offline. */
@Command(name = "detector", mixinStandardHelpOptions = true,
        description = "Train, evaluate and compare the learned content detector offline.",
        subcommands = {DetectorTrainCommand.class, DetectorEvaluateCommand.class, DetectorReplayCommand.class})
public final class DetectorCommand implements Runnable {

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: train, evaluate or replay");
    }
}
