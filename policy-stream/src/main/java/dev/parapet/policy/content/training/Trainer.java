package dev.parapet.policy.content.training;

import dev.parapet.policy.content.NormalizedPrompt;
import dev.parapet.policy.content.model.FeatureSpec;
import dev.parapet.policy.content.model.LinearModel;
import dev.parapet.policy.content.model.SparseVector;
import dev.parapet.policy.content.model.TextFeatures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains the multinomial logistic regression by AdaGrad on weighted examples. Deterministic: the
 * same rows, options and seed give the same weights, bit for bit (one thread, fixed shuffling,
 * StrictMath for every transcendental function, so the result does not depend on the JVM's intrinsics).
 */
public final class Trainer {

    public static final List<String> CLASSES = classes();

    private Trainer() {
    }

    private static List<String> classes() {
        List<String> classes = new ArrayList<>();
        classes.add("benign");
        classes.addAll(LabelledText.ATTACK_CATEGORIES);
        return List.copyOf(classes);
    }

    /** Features and weights for every row; harmful rows get target -1 and weight 0. */
    public static List<Example> prepare(List<LabelledText> rows, FeatureSpec spec, double sourceExponent) {
        List<Example> examples = new ArrayList<>(rows.size());
        for (LabelledText row : rows) {
            NormalizedPrompt prompt = NormalizedPrompt.of(row.text());
            SparseVector x = TextFeatures.of(spec, prompt.text(), prompt.hadInvisible());
            examples.add(new Example(row, x, row.trainingClass(), 0));
        }
        return weigh(examples, sourceExponent);
    }

    /**
     * Weights for the examples given, computed over them alone (so a fold's weights never depend
     * on the source it holds out): a (repository, benign-or-attack) group of n rows weighs
     * n^exponent in all, and each label carries half of the total.
     */
    public static List<Example> weigh(List<Example> examples, double sourceExponent) {
        Map<String, Integer> groupSize = new HashMap<>();
        for (Example e : examples) {
            if (e.target() >= 0) {
                groupSize.merge(group(e.row()), 1, Integer::sum);
            }
        }
        double[] labelWeight = new double[2];
        for (Example e : examples) {
            if (e.target() >= 0) {
                labelWeight[e.row().isBenign() ? 0 : 1] += StrictMath.pow(groupSize.get(group(e.row())), sourceExponent - 1);
            }
        }
        double trained = groupSize.values().stream().mapToInt(Integer::intValue).sum();
        List<Example> weighed = new ArrayList<>(examples.size());
        for (Example e : examples) {
            double weight = 0;
            if (e.target() >= 0) {
                weight = StrictMath.pow(groupSize.get(group(e.row())), sourceExponent - 1) * trained / 2
                        / labelWeight[e.row().isBenign() ? 0 : 1];
            }
            weighed.add(new Example(e.row(), e.features(), e.target(), weight));
        }
        return weighed;
    }

    private static String group(LabelledText row) {
        return row.repository() + "|" + row.isBenign();
    }

    /** Trains on the examples with a target and returns the int8 model: the one evaluated is the one shipped. */
    public static LinearModel train(List<Example> examples, TrainingOptions options) {
        FeatureSpec spec = options.features();
        int k = CLASSES.size();
        int dimensions = spec.dimensions();
        float[] w = new float[dimensions * k];
        float[] g2 = new float[dimensions * k];
        double[] bias = new double[k];
        double[] biasG2 = new double[k];
        List<Example> trainable = examples.stream().filter(e -> e.target() >= 0 && e.weight() > 0).toList();
        int[] order = new int[trainable.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(options.seed());
        float lr = (float) options.learningRate();
        float l2 = (float) options.l2();
        double[] logits = new double[k];
        float[] delta = new float[k];
        for (int epoch = 0; epoch < options.epochs(); epoch++) {
            shuffle(order, random);
            for (int n : order) {
                Example e = trainable.get(n);
                int[] idx = e.features().indices();
                float[] val = e.features().values();
                for (int c = 0; c < k; c++) {
                    logits[c] = bias[c];
                }
                for (int i = 0; i < idx.length; i++) {
                    int base = idx[i] * k;
                    for (int c = 0; c < k; c++) {
                        logits[c] += w[base + c] * val[i];
                    }
                }
                double max = Double.NEGATIVE_INFINITY;
                for (double l : logits) {
                    max = Math.max(max, l);
                }
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    logits[c] = StrictMath.exp(logits[c] - max);
                    sum += logits[c];
                }
                for (int c = 0; c < k; c++) {
                    delta[c] = (float) (e.weight() * (logits[c] / sum - (c == e.target() ? 1 : 0)));
                    biasG2[c] += delta[c] * delta[c];
                    bias[c] -= lr * delta[c] / (Math.sqrt(biasG2[c]) + 1e-8);
                }
                for (int i = 0; i < idx.length; i++) {
                    int base = idx[i] * k;
                    for (int c = 0; c < k; c++) {
                        int at = base + c;
                        float g = delta[c] * val[i] + l2 * w[at];
                        g2[at] += g * g;
                        w[at] -= lr * g / ((float) Math.sqrt(g2[at]) + 1e-8f);
                    }
                }
            }
        }
        float[] b = new float[k];
        for (int c = 0; c < k; c++) {
            b[c] = (float) bias[c];
        }
        return LinearModel.quantize(spec, CLASSES, w, b);
    }

    private static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
