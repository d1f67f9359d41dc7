package dev.parapet.policy.content.training;

import dev.parapet.policy.content.model.Combiner;
import java.util.List;

/** Fits a {@link Combiner}: weighted logistic regression on four features by full-batch gradient descent. Deterministic. */
final class CombinerFit {

    private static final int ITERATIONS = 2000;
    private static final double STEP = 0.5;
    private static final double L2 = 1e-4;

    private CombinerFit() {
    }

    /**
     * @param features per row, {@link Combiner#features}
     * @param attack   per row, whether it is an attack
     * @param weights  per row, its weight
     */
    static Combiner fit(List<double[]> features, boolean[] attack, double[] weights) {
        int n = features.size();
        double[] b = new double[4];
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            double[] gradient = new double[b.length];
            for (int i = 0; i < n; i++) {
                double[] x = features.get(i);
                double z = 0;
                for (int j = 0; j < b.length; j++) {
                    z += b[j] * x[j];
                }
                double d = weights[i] * (1 / (1 + StrictMath.exp(-z)) - (attack[i] ? 1 : 0));
                for (int j = 0; j < b.length; j++) {
                    gradient[j] += d * x[j];
                }
            }
            for (int j = 0; j < b.length; j++) {
                b[j] -= STEP * (gradient[j] / total + L2 * b[j]);
            }
        }
        return Combiner.of(b);
    }
}
