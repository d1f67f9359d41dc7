package dev.parapet.cli.detector;

import dev.parapet.policy.content.ContentChecks;
import dev.parapet.policy.content.LayeredContentCheck;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --model} and {@code --rules}: the detector configuration a command runs, built-in unless a file is named. */
final class DetectorOptions {

    @Option(names = "--model", description = "model artifact, BASE or BASE.json beside BASE.bin (default: the built-in model)")
    Path model;

    @Option(names = "--rules", description = "rule pack JSON (default: the built-in pack)")
    Path rules;

    LayeredContentCheck check() {
        return ContentChecks.layered(Optional.ofNullable(model), Optional.ofNullable(rules));
    }

    /** The same, with either part replaced where the candidate names one. */
    LayeredContentCheck withCandidate(Path candidateModel, Path candidateRules) {
        return ContentChecks.layered(Optional.ofNullable(candidateModel).or(() -> Optional.ofNullable(model)),
                Optional.ofNullable(candidateRules).or(() -> Optional.ofNullable(rules)));
    }
}
