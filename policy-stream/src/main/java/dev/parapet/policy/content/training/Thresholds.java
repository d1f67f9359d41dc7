package dev.parapet.policy.content.training;

import java.util.Arrays;
import java.util.List;

/** Picks score thresholds from benign scores, and scores how well a threshold separates. */
public final class Thresholds {

    private Thresholds() {
    }

    /**
     * The lowest threshold at which at most {@code fpr} of the benign scores are at or above it.
     * Blocking is {@code score >= threshold}.
     */
    public static double atFalsePositiveRate(double[] benignScores, double fpr) {
        if (benignScores.length == 0) {
            throw new IllegalArgumentException("no benign scores to fit a threshold on");
        }
        double[] sorted = benignScores.clone();
        Arrays.sort(sorted);
        int allowed = (int) Math.floor(fpr * sorted.length);
        // the allowed highest scores may pass; the threshold sits just above the next one
        double bar = sorted[sorted.length - 1 - allowed];
        return Math.min(0.999999, Math.nextUp(bar));
    }

    /** The threshold for each row's fold: fitted on the benign rows of every other repository. */
    public static double[] perFold(List<Example> examples, double[] scores, double fpr) {
        double[] thresholds = new double[examples.size()];
        java.util.Map<String, Double> byRepository = new java.util.HashMap<>();
        for (int i = 0; i < examples.size(); i++) {
            String repository = examples.get(i).row().repository();
            thresholds[i] = byRepository.computeIfAbsent(repository, r -> {
                double[] benign = java.util.stream.IntStream.range(0, examples.size())
                        .filter(j -> examples.get(j).row().isBenign() && !examples.get(j).row().repository().equals(r))
                        .mapToDouble(j -> scores[j]).toArray();
                return atFalsePositiveRate(benign, fpr);
            });
        }
        return thresholds;
    }

    /** Share of attack scores at or above the threshold that lets {@code fpr} of the benign scores through. */
    public static double recallAt(double[] attack, double[] benign, double fpr) {
        double bar = atFalsePositiveRate(benign, fpr);
        return attack.length == 0 ? Double.NaN : (double) Arrays.stream(attack).filter(s -> s >= bar).count() / attack.length;
    }

    /** Area under the ROC curve of attack rows against benign rows (ties count half). */
    public static double rocAuc(double[] attack, double[] benign) {
        double[] b = benign.clone();
        Arrays.sort(b);
        double sum = 0;
        for (double a : attack) {
            int below = lowerBound(b, a);
            int notAbove = upperBound(b, a);
            sum += below + 0.5 * (notAbove - below);
        }
        return attack.length == 0 || benign.length == 0 ? Double.NaN : sum / ((double) attack.length * benign.length);
    }

    private static int lowerBound(double[] sorted, double value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int upperBound(double[] sorted, double value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
