package dev.parapet.policy.content.model;

/**
 * Joins the learned model and the content rules into one attack score: a logistic regression over
 * the model's log-odds, the rule score and whether the rules alone would block. Its four
 * coefficients are fitted on out-of-source scores (every training row scored by a model that never
 * saw its source), so it learns how far each signal holds on unseen sources rather than on the
 * data the model memorised.
 *
 * @param bias       intercept
 * @param modelLogit weight of the model's log-odds
 * @param ruleScore  weight of the rule score (0 to 1, the pack's 0–100 divided by 100)
 * @param ruleBlock  weight of "the rule pack alone would block"
 */
public record Combiner(double bias, double modelLogit, double ruleScore, double ruleBlock) {

    private static final double EPSILON = 1e-6;

    public Combiner {
        for (double c : new double[] {bias, modelLogit, ruleScore, ruleBlock}) {
            if (!Double.isFinite(c) || Math.abs(c) > 1e3) {
                throw new IllegalArgumentException("combiner coefficients must be finite and within ±1000, got " + c);
            }
        }
    }

    /** The features in coefficient order, with a leading 1 for the bias. */
    public static double[] features(double modelScore, int ruleScore, boolean rulesBlock) {
        double p = Math.min(1 - EPSILON, Math.max(EPSILON, modelScore));
        return new double[] {1, StrictMath.log(p / (1 - p)), ruleScore / 100.0, rulesBlock ? 1 : 0};
    }

    public static Combiner of(double[] coefficients) {
        return new Combiner(coefficients[0], coefficients[1], coefficients[2], coefficients[3]);
    }

    /** The combined score, 0 to 1. */
    public double score(double modelScore, int rulePoints, boolean rulesBlock) {
        return score(features(modelScore, rulePoints, rulesBlock));
    }

    /** The combined score of features made by {@link #features}. */
    public double score(double[] x) {
        double z = bias * x[0] + modelLogit * x[1] + ruleScore * x[2] + ruleBlock * x[3];
        return 1 / (1 + StrictMath.exp(-z));
    }
}
