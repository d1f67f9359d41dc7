package dev.parapet.policy.content.model;

/**
 * How much a short text's model score counts. A linear model over a handful of features ("ok",
 * "please", "status check 4") extrapolates from whatever those few features learned and can be very
 * sure of nothing; the training data holds few short benign messages. Under
 * {@code evidenceWords} words, the model's log-odds shrink toward even odds in proportion, so the
 * rules, not the model, carry the verdict on very short texts.
 */
public final class Evidence {

    private static final double CLIP = 1e-6;

    private Evidence() {
    }

    /** Letters or digits per word when a text has fewer separators than words (no spaces, or a script without them). */
    static final int CHARS_PER_WORD = 6;

    /**
     * Words as evidence: runs of letters or digits, but at least one per {@value #CHARS_PER_WORD}
     * letters or digits, so a long text written without spaces still counts as long.
     */
    public static int words(String text) {
        int runs = 0;
        int letters = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            boolean letter = Character.isLetterOrDigit(text.charAt(i));
            if (letter) {
                letters++;
                if (!inWord) {
                    runs++;
                }
            }
            inWord = letter;
        }
        return Math.max(runs, (letters + CHARS_PER_WORD - 1) / CHARS_PER_WORD);
    }

    /** The model's attack probability, shrunk toward 0.5 when {@code text} has fewer than {@code evidenceWords} words (0: never). */
    public static double shrink(double modelScore, String text, int evidenceWords) {
        if (evidenceWords <= 0) {
            return modelScore;
        }
        double weight = Math.min(1.0, words(text) / (double) evidenceWords);
        if (weight >= 1.0) {
            return modelScore;
        }
        double p = Math.min(1 - CLIP, Math.max(CLIP, modelScore));
        double logOdds = StrictMath.log(p / (1 - p)) * weight;
        return 1 / (1 + StrictMath.exp(-logOdds));
    }
}
