package dev.parapet.policy.content.model;

import java.util.List;
import java.util.Objects;

/**
 * A multinomial logistic regression over hashed features, held as int8 weights with one scale per
 * class and a float bias per class: 1.3 MB for 2^18 features and five classes, small enough to stay
 * in cache where float weights (5 MB) would not. Class 0 is benign; the attack score is the
 * probability of any other class. Weights are feature-major ({@code weights[feature * classes + c]}),
 * so one sparse feature touches one cache line. Immutable and thread-safe.
 */
public final class LinearModel {

    private final FeatureSpec spec;
    private final List<String> classes;
    private final byte[] weights;
    private final float[] scale;
    private final float[] bias;

    LinearModel(FeatureSpec spec, List<String> classes, byte[] weights, float[] scale, float[] bias) {
        this.spec = Objects.requireNonNull(spec, "spec can't be null");
        this.classes = List.copyOf(classes);
        if (this.classes.size() < 2 || !"benign".equals(this.classes.get(0))) {
            throw new IllegalArgumentException("a model needs class 0 'benign' and at least one attack class, got " + classes);
        }
        if ((long) weights.length != (long) spec.dimensions() * this.classes.size() || bias.length != this.classes.size()
                || scale.length != this.classes.size()) {
            throw new IllegalArgumentException("weights do not fit " + spec.dimensions() + " features x " + this.classes.size() + " classes");
        }
        this.weights = weights;
        this.scale = scale;
        this.bias = bias;
    }

    /** Quantises trained float weights (feature-major) to int8, one scale per class: the model that is evaluated and shipped. */
    public static LinearModel quantize(FeatureSpec spec, List<String> classes, float[] weights, float[] bias) {
        int k = classes.size();
        float[] scale = new float[k];
        for (int i = 0; i < weights.length; i++) {
            scale[i % k] = Math.max(scale[i % k], Math.abs(weights[i]) / 127f);
        }
        for (int c = 0; c < k; c++) {
            scale[c] = scale[c] == 0 ? 1f : scale[c];
        }
        byte[] packed = new byte[weights.length];
        for (int i = 0; i < weights.length; i++) {
            packed[i] = (byte) Math.max(-127, Math.min(127, Math.round(weights[i] / scale[i % k])));
        }
        return new LinearModel(spec, classes, packed, scale, bias.clone());
    }

    public FeatureSpec spec() {
        return spec;
    }

    public List<String> classes() {
        return classes;
    }

    byte[] weights() {
        return weights;
    }

    float[] scale() {
        return scale;
    }

    float[] bias() {
        return bias;
    }

    /** Class probabilities (softmax), in {@link #classes()} order. */
    public double[] probabilities(SparseVector x) {
        int k = classes.size();
        double[] sums = new double[k];
        int[] indices = x.indices();
        float[] values = x.values();
        for (int i = 0; i < indices.length; i++) {
            int base = indices[i] * k;
            float v = values[i];
            for (int c = 0; c < k; c++) {
                sums[c] += weights[base + c] * v;
            }
        }
        for (int c = 0; c < k; c++) {
            sums[c] = bias[c] + scale[c] * sums[c];
        }
        return softmax(sums);
    }

    static double[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        double[] p = new double[logits.length];
        for (int c = 0; c < logits.length; c++) {
            p[c] = StrictMath.exp(logits[c] - max);
            sum += p[c];
        }
        for (int c = 0; c < p.length; c++) {
            p[c] /= sum;
        }
        return p;
    }
}
