package dev.parapet.policy.content.training;

import dev.parapet.policy.content.model.FeatureSpec;

/**
 * How a model is trained. The defaults are the shipped model's.
 *
 * @param features        feature layout
 * @param epochs          passes over the data
 * @param learningRate    AdaGrad step size
 * @param l2              L2 penalty on the weights a step touches
 * @param sourceExponent  a (repository, class) group of n rows weighs n^exponent in all, so no source dominates
 *                        (0: every group the same; 1: every row the same)
 * @param seed            shuffling seed
 */
public record TrainingOptions(FeatureSpec features, int epochs, double learningRate, double l2, double sourceExponent, long seed) {

    /** Hashed 2^18, character 3-5-grams, word pairs, a norm floor of 8, and full model evidence from 4 words on. */
    public static final FeatureSpec DEFAULT_FEATURES = new FeatureSpec(18, 3, 5, true, 8.0, 4);

    public static TrainingOptions defaults() {
        return new TrainingOptions(DEFAULT_FEATURES, 4, 0.2, 3e-5, 0.5, 20261129L);
    }

    public TrainingOptions withSeed(long newSeed) {
        return new TrainingOptions(features, epochs, learningRate, l2, sourceExponent, newSeed);
    }

    public TrainingOptions withFeatures(FeatureSpec spec) {
        return new TrainingOptions(spec, epochs, learningRate, l2, sourceExponent, seed);
    }

    public TrainingOptions {
        if (epochs < 1 || learningRate <= 0 || l2 < 0 || sourceExponent < 0 || sourceExponent > 1) {
            throw new IllegalArgumentException("epochs >= 1, learning rate > 0, l2 >= 0 and source exponent 0..1 required");
        }
    }
}
