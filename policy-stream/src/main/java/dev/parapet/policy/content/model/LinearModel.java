package dev.parapet.policy.content.model;

import java.util.List;
import java.util.Objects;

/**
 * A multinomial logistic regression over hashed features: one weight per (feature, class) and a
 * bias per class. Class 0 is benign; the attack score is the probability of any other class.
 * Weights are stored feature-major ({@code weights[feature * classes + c]}) so one sparse
 * feature touches one cache line. Immutable and thread-safe.
 */
public final class LinearModel {

    private final FeatureSpec spec;
    private final List<String> classes;
    private final float[] weights;
    private final float[] bias;

    public LinearModel(FeatureSpec spec, List<String> classes, float[] weights, float[] bias) {
        this.spec = Objects.requireNonNull(spec, "spec can't be null");
        this.classes = List.copyOf(classes);
        if (this.classes.size() < 2 || !"benign".equals(this.classes.get(0))) {
            throw new IllegalArgumentException("a model needs class 0 'benign' and at least one attack class, got " + classes);
        }
        if (weights.length != spec.dimensions() * this.classes.size() || bias.length != this.classes.size()) {
            throw new IllegalArgumentException("weights do not fit " + spec.dimensions() + " features x " + this.classes.size() + " classes");
        }
        this.weights = weights;
        this.bias = bias;
    }

    public FeatureSpec spec() {
        return spec;
    }

    public List<String> classes() {
        return classes;
    }

    float[] weights() {
        return weights;
    }

    float[] bias() {
        return bias;
    }

    /** Class probabilities (softmax), in {@link #classes()} order. */
    public double[] probabilities(SparseVector x) {
        int k = classes.size();
        double[] logits = new double[k];
        for (int c = 0; c < k; c++) {
            logits[c] = bias[c];
        }
        int[] indices = x.indices();
        float[] values = x.values();
        for (int i = 0; i < indices.length; i++) {
            int base = indices[i] * k;
            float v = values[i];
            for (int c = 0; c < k; c++) {
                logits[c] += weights[base + c] * v;
            }
        }
        return softmax(logits);
    }

    static double[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        double[] p = new double[logits.length];
        for (int c = 0; c < logits.length; c++) {
            p[c] = Math.exp(logits[c] - max);
            sum += p[c];
        }
        for (int c = 0; c < p.length; c++) {
            p[c] /= sum;
        }
        return p;
    }
}
