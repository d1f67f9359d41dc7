package dev.parapet.cli.detector;

import dev.parapet.policy.content.ContentVerdict;
import dev.parapet.policy.content.LayeredContentCheck;
import dev.parapet.policy.content.NormalizedPrompt;
import dev.parapet.policy.content.training.DetectionReport;
import dev.parapet.policy.content.training.LabelledFiles;
import dev.parapet.policy.content.training.LabelledText;
import dev.parapet.policy.content.training.Thresholds;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code parapet detector evaluate}: the detection figures of the deployed configuration on a
 * labelled file, with the rules alone and the combined detector side by side: recall per attack
 * category and per source, false positives per benign kind, harmful requests apart.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Score labelled JSONL files (text, label, category, source) with the rules alone and with the combined detector.",
                "Labels: attack, benign, harmful (or category harmful_request: reported apart)."})
public final class DetectorEvaluateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--input", required = true, description = "labelled JSONL file or folder (repeatable)")
    private List<Path> inputs;

    @picocli.CommandLine.Mixin
    private DetectorOptions detector;

    @Option(names = "--per-source", description = "print a line for every source")
    private boolean perSource;

    @Override
    public Integer call() {
        LayeredContentCheck check = detector.check();
        List<LabelledText> rows = LabelledFiles.read(inputs);
        int n = rows.size();
        boolean[] rulesBlocked = new boolean[n];
        boolean[] rulesFlagged = new boolean[n];
        boolean[] blocked = new boolean[n];
        boolean[] flagged = new boolean[n];
        double[] modelScores = new double[n];
        long started = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String text = rows.get(i).text();
            ContentVerdict ruled = check.rules().scan(text);
            rulesBlocked[i] = ruled.action() == ContentVerdict.Action.BLOCK;
            rulesFlagged[i] = ruled.action() != ContentVerdict.Action.ALLOW;
            ContentVerdict combined = check.scan(text);
            blocked[i] = combined.action() == ContentVerdict.Action.BLOCK;
            flagged[i] = combined.action() != ContentVerdict.Action.ALLOW;
            modelScores[i] = check.detector().modelScore(NormalizedPrompt.of(text));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%d rows in %.1f s; %s%n", n, (System.nanoTime() - started) / 1e9, check.describe());
        new DetectionReport("rules alone", rows, rulesBlocked, rulesFlagged).print(out, perSource);
        new DetectionReport("combined detector (enforced)", rows, blocked, flagged).print(out, perSource);
        double[] attack = IntStream.range(0, n).filter(i -> rows.get(i).isAttack()).mapToDouble(i -> modelScores[i]).toArray();
        double[] benign = IntStream.range(0, n).filter(i -> rows.get(i).isBenign()).mapToDouble(i -> modelScores[i]).toArray();
        if (attack.length > 0 && benign.length > 0) {
            out.printf(Locale.ROOT, "model score alone: ROC-AUC %.4f; recall %.2f %% at 1 %% FPR with the threshold fitted on this file (optimistic)%n",
                    Thresholds.rocAuc(attack, benign), 100 * Thresholds.recallAt(attack, benign, 0.01));
        }
        out.flush();
        return 0;
    }
}
