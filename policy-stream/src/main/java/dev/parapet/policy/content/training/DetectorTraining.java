package dev.parapet.policy.content.training;

import dev.parapet.policy.content.ContentScanner;
import dev.parapet.policy.content.ContentVerdict;
import dev.parapet.policy.content.model.Combiner;
import dev.parapet.policy.content.model.LinearModel;
import dev.parapet.policy.content.model.ModelManifest;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The whole training run behind {@code parapet detector train}:
 * <ol>
 *   <li>run the rule pack over every row, and turn every row into features;</li>
 *   <li>leave one source repository out at a time: a model trained on the others scores it (out-of-source scores);</li>
 *   <li>for each held-out source, fit the combiner and the thresholds on the other sources' out-of-source
 *       scores only, and decide the held-out rows: the figures a source never seen would get;</li>
 *   <li>fit the shipped combiner and thresholds on all out-of-source scores, train the shipped model on every row,
 *       and quantise it.</li>
 * </ol>
 * Deterministic for the same rows, options and seed.
 */
public final class DetectorTraining {

    /**
     * @param model          the shipped model, as quantised
     * @param combiner       the shipped combiner
     * @param thresholds     the shipped thresholds on the combined score
     * @param rules          leave-one-source-out figures of the rule pack alone
     * @param modelAlone     the same for the model alone, per-fold threshold at the block FPR
     * @param combined       the same for model and rules combined
     * @param outOfSource    every row's out-of-source combined score
     */
    public record Result(LinearModel model, Combiner combiner, ModelManifest.Thresholds thresholds, DetectionReport rules,
                         DetectionReport modelAlone, DetectionReport combined, double[] outOfSource) {
    }

    /**
     * @param blockFpr target share of benign prompts blocked (0.01)
     * @param flagFpr  target share of benign prompts at least flagged; the uncertain band lies between
     * @param threads  folds trained at once
     */
    public record Settings(TrainingOptions options, double blockFpr, double flagFpr, int threads) {
        public Settings {
            Objects.requireNonNull(options, "options can't be null");
            if (!(blockFpr > 0 && blockFpr <= flagFpr && flagFpr < 0.5) || threads < 1) {
                throw new IllegalArgumentException("need 0 < block FPR <= flag FPR < 0.5 and threads >= 1");
            }
        }
    }

    private DetectorTraining() {
    }

    public static Result run(List<LabelledText> rows, ContentScanner rules, Settings settings, PrintWriter log) {
        TrainingOptions options = settings.options();
        long started = System.nanoTime();
        List<ContentVerdict> ruled = rows.stream().map(r -> rules.scan(r.text())).toList();
        List<Example> examples = Trainer.prepare(rows, options.features(), options.sourceExponent());
        log.printf("%d rows (%d trained on) from %d sources; features in %.1f s%n", rows.size(),
                examples.stream().filter(e -> e.target() >= 0).count(), repositories(rows).size(), seconds(started));
        log.flush();
        double[] modelScores = SourceCrossValidation.outOfFoldScores(examples, options, settings.threads());
        // (each fold re-weighs its own training rows, so no fold's weights depend on the source it holds out)
        log.printf("leave-one-source-out over %d sources in %.1f s%n", repositories(rows).size(), seconds(started));
        log.flush();
        int n = rows.size();
        List<double[]> stackFeatures = new ArrayList<>(n);
        boolean[] attack = new boolean[n];
        for (int i = 0; i < n; i++) {
            ContentVerdict v = ruled.get(i);
            stackFeatures.add(Combiner.features(modelScores[i], v.score(), v.action() == ContentVerdict.Action.BLOCK));
            attack[i] = rows.get(i).isAttack();
        }
        double[] combinedScores = new double[n];
        boolean[] combinedBlocked = new boolean[n];
        boolean[] combinedFlagged = new boolean[n];
        boolean[] modelBlocked = new boolean[n];
        double[] modelThresholds = Thresholds.perFold(examples, modelScores, settings.blockFpr());
        Map<String, Fitted> perFold = new HashMap<>();
        for (String heldOut : repositories(rows)) {
            perFold.put(heldOut, fit(rows, examples, stackFeatures, attack, settings, heldOut));
        }
        for (int i = 0; i < n; i++) {
            Fitted fitted = perFold.get(rows.get(i).repository());
            ContentVerdict v = ruled.get(i);
            combinedScores[i] = fitted.combiner.score(stackFeatures.get(i));
            combinedBlocked[i] = combinedScores[i] >= fitted.thresholds.block();
            combinedFlagged[i] = combinedScores[i] >= fitted.thresholds.flag() || v.action() != ContentVerdict.Action.ALLOW;
            modelBlocked[i] = modelScores[i] >= modelThresholds[i];
        }
        boolean[] rulesBlocked = new boolean[n];
        boolean[] rulesFlagged = new boolean[n];
        for (int i = 0; i < n; i++) {
            rulesBlocked[i] = ruled.get(i).action() == ContentVerdict.Action.BLOCK;
            rulesFlagged[i] = ruled.get(i).action() != ContentVerdict.Action.ALLOW;
        }
        Fitted shipped = fit(rows, examples, stackFeatures, attack, settings, null);
        LinearModel model = Trainer.train(examples, options);
        log.printf("shipped model trained in %.1f s in all%n", seconds(started));
        log.flush();
        return new Result(model, shipped.combiner, shipped.thresholds,
                new DetectionReport("rules alone (pack " + rules.pack().version() + ")", rows, rulesBlocked, rulesFlagged),
                new DetectionReport("model alone, leave one source out", rows, modelBlocked, modelBlocked),
                new DetectionReport("model and rules combined, leave one source out", rows, combinedBlocked, combinedFlagged),
                combinedScores);
    }

    private record Fitted(Combiner combiner, ModelManifest.Thresholds thresholds) {
    }

    /** Combiner and thresholds from the out-of-source scores of every source but {@code heldOut} (null: all). */
    private static Fitted fit(List<LabelledText> rows, List<Example> examples, List<double[]> features, boolean[] attack,
                              Settings settings, String heldOut) {
        List<double[]> x = new ArrayList<>();
        List<Integer> index = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (examples.get(i).target() >= 0 && !rows.get(i).repository().equals(heldOut)) {
                x.add(features.get(i));
                index.add(i);
            }
        }
        boolean[] y = new boolean[x.size()];
        double[] w = new double[x.size()];
        List<Example> weighed = Trainer.weigh(index.stream().map(examples::get).toList(), settings.options().sourceExponent());
        for (int k = 0; k < index.size(); k++) {
            y[k] = attack[index.get(k)];
            w[k] = weighed.get(k).weight();
        }
        Combiner combiner = CombinerFit.fit(x, y, w);
        double[] benign = index.stream().filter(i -> rows.get(i).isBenign())
                .mapToDouble(i -> combiner.score(features.get(i))).toArray();
        double block = Thresholds.atFalsePositiveRate(benign, settings.blockFpr());
        double flag = Math.min(block, Thresholds.atFalsePositiveRate(benign, settings.flagFpr()));
        return new Fitted(combiner, new ModelManifest.Thresholds(block, flag));
    }

    static TreeSet<String> repositories(List<LabelledText> rows) {
        TreeSet<String> out = new TreeSet<>();
        rows.forEach(r -> out.add(r.repository()));
        return out;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** The figures a model card and the manifest record. */
    public static Map<String, Object> figures(Result result) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("leave_one_source_out_rules", result.rules().summary());
        out.put("leave_one_source_out_model", result.modelAlone().summary());
        out.put("leave_one_source_out_combined", result.combined().summary());
        return out;
    }
}
