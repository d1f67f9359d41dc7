package dev.parapet.cli.detector;

import dev.parapet.events.Sha256;
import dev.parapet.policy.content.ContentScanner;
import dev.parapet.policy.content.RulePacks;
import dev.parapet.policy.content.model.FeatureSpec;
import dev.parapet.policy.content.model.ModelArtifact;
import dev.parapet.policy.content.model.ModelManifest;
import dev.parapet.policy.content.training.DetectorTraining;
import dev.parapet.policy.content.training.LabelledFiles;
import dev.parapet.policy.content.training.LabelledText;
import dev.parapet.policy.content.training.Thresholds;
import dev.parapet.policy.content.training.Trainer;
import dev.parapet.policy.content.training.TrainingOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code parapet detector train}: rebuilds the model artifact from labelled files with a fixed
 * seed, prints its leave-one-source-out evaluation (rules alone, model alone, combined) and writes
 * {@code OUT.json} and {@code OUT.bin}. The same files and seed give the same bytes.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train the learned detector from labelled JSONL files, print its leave-one-source-out evaluation and write the artifact.",
                "Default data: ../shared/detector-dev and ../shared/detector-train beside the checkout."})
public final class DetectorTrainCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", description = "labelled JSONL file or folder of them (repeatable)")
    private List<Path> data = new ArrayList<>();

    @Option(names = "--out", description = "artifact path without extension (default: the built-in model in policy-stream's resources)")
    private Path out;

    @Option(names = "--model-version", required = true, description = "version recorded in the artifact and with every decision")
    private String modelVersion;

    @Option(names = "--seed", defaultValue = "20261129", description = "shuffling seed (${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--block-fpr", defaultValue = "0.01", description = "share of benign prompts the block threshold lets through as false positives (${DEFAULT-VALUE})")
    private double blockFpr;

    @Option(names = "--flag-fpr", defaultValue = "0.03", description = "share of benign prompts at least flagged; the uncertain band lies between (${DEFAULT-VALUE})")
    private double flagFpr;

    @Option(names = "--threads", defaultValue = "2", description = "folds trained at once (${DEFAULT-VALUE}); the result does not depend on it")
    private int threads;

    @Option(names = "--rules", description = "rule pack the combiner is fitted with (default: the built-in pack); deploy the model with the same pack")
    private Path rulesFile;

    @Option(names = "--norm-floor", description = "floor under each feature family's squared length, so short texts keep small "
            + "feature values (default: the shipped model's)")
    private Double normFloor;

    @Option(names = "--evidence-words", description = "under this many words the model's score shrinks toward even odds "
            + "(default: the shipped model's; 0: never)")
    private Integer evidenceWords;

    @Option(names = "--per-source", description = "print a line for every source")
    private boolean perSource;

    @Override
    public Integer call() throws IOException {
        Path home = Path.of(System.getProperty("parapet.home", "."));
        List<Path> inputs = data.isEmpty()
                ? List.of(home.resolve("../shared/detector-dev").normalize(), home.resolve("../shared/detector-train").normalize())
                : data;
        Path target = out != null ? out : home.resolve("policy-stream/src/main/resources" + ModelArtifact.BUILT_IN);
        PrintWriter err = spec.commandLine().getErr();
        List<LabelledText> rows = LabelledFiles.read(inputs);
        ContentScanner rules = new ContentScanner(rulesFile == null ? RulePacks.builtIn() : RulePacks.fromFile(rulesFile));
        TrainingOptions options = TrainingOptions.defaults().withSeed(seed);
        if (normFloor != null || evidenceWords != null) {
            FeatureSpec f = options.features();
            options = options.withFeatures(new FeatureSpec(f.hashBits(), f.charMin(), f.charMax(), f.wordBigrams(),
                    normFloor != null ? normFloor : f.normFloor(), evidenceWords != null ? evidenceWords : f.evidenceWords()));
        }
        DetectorTraining.Result result = DetectorTraining.run(rows, rules,
                new DetectorTraining.Settings(options, blockFpr, flagFpr, threads), err);
        PrintWriter stdout = spec.commandLine().getOut();
        result.rules().print(stdout, perSource);
        result.modelAlone().print(stdout, perSource);
        result.combined().print(stdout, perSource);
        double[] scores = result.outOfSource();
        double[] attack = java.util.stream.IntStream.range(0, rows.size()).filter(i -> rows.get(i).isAttack()).mapToDouble(i -> scores[i]).toArray();
        double[] benign = java.util.stream.IntStream.range(0, rows.size()).filter(i -> rows.get(i).isBenign()).mapToDouble(i -> scores[i]).toArray();
        stdout.printf(java.util.Locale.ROOT, "combined out-of-source scores, pooled: ROC-AUC %.4f; recall at benign FPR", Thresholds.rocAuc(attack, benign));
        for (double fpr : new double[] {0.005, 0.01, 0.02, 0.03, 0.05, 0.10}) {
            stdout.printf(java.util.Locale.ROOT, "  %.1f %%: %.1f %%", fpr * 100, 100 * Thresholds.recallAt(attack, benign, fpr));
        }
        stdout.println();
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("data", describe(inputs, rows));
        training.put("seed", seed);
        training.put("epochs", options.epochs());
        training.put("learning_rate", options.learningRate());
        training.put("l2", options.l2());
        training.put("source_exponent", options.sourceExponent());
        training.put("block_fpr_target", blockFpr);
        training.put("flag_fpr_target", flagFpr);
        training.putAll(DetectorTraining.figures(result));
        ModelManifest manifest = new ModelManifest(ModelManifest.FORMAT, "parapet-lexical", modelVersion, "", Trainer.CLASSES,
                options.features(), result.combiner(), rules.pack().version(), result.thresholds(), training);
        ModelArtifact.write(target, result.model(), manifest);
        stdout.printf(java.util.Locale.ROOT, "wrote %s.json and %s.bin: combiner %s, block >= %.4f, flag >= %.4f%n", target, target, result.combiner(),
                result.thresholds().block(), result.thresholds().flag());
        stdout.flush();
        return 0;
    }

    private static List<Map<String, Object>> describe(List<Path> inputs, List<LabelledText> rows) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Path input : inputs) {
            for (Path file : LabelledFiles.files(input)) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("file", file.equals(input) ? file.getFileName().toString() : input.getFileName() + "/" + file.getFileName());
                entry.put("sha256", Sha256.hex(Files.readAllBytes(file)));
                out.add(entry);
            }
        }
        return out;
    }

}
