package dev.parapet.policy.content.model;

import dev.parapet.policy.content.ContentCategory;
import dev.parapet.policy.content.ContentVerdict;
import dev.parapet.policy.content.NormalizedPrompt;
import java.util.List;
import java.util.Objects;

/**
 * Scores a normalised prompt with a verified model artifact: features, class probabilities, the
 * model's attack score (one minus the benign probability), the combined score with the rules'
 * verdict, its band against the artifact's thresholds, and the most likely attack category.
 * Stateless and thread-safe.
 */
public final class LearnedDetector {

    private final ModelManifest manifest;
    private final LinearModel model;
    private final ContentCategory[] categoryOfClass;

    public LearnedDetector(ModelManifest manifest, LinearModel model) {
        this.manifest = Objects.requireNonNull(manifest, "manifest can't be null");
        this.model = Objects.requireNonNull(model, "model can't be null");
        List<String> classes = model.classes();
        categoryOfClass = new ContentCategory[classes.size()];
        for (int c = 1; c < classes.size(); c++) {
            categoryOfClass[c] = ContentCategory.fromWire(classes.get(c));
        }
    }

    public static LearnedDetector of(ModelArtifact.Loaded loaded) {
        return new LearnedDetector(loaded.manifest(), loaded.model());
    }

    public ModelManifest manifest() {
        return manifest;
    }

    /** The learned model's attack probability alone. */
    public double modelScore(NormalizedPrompt prompt) {
        return Evidence.shrink(1 - model.probabilities(features(prompt))[0], prompt.text(), model.spec().minWords());
    }

    /**
     * Scores a prompt.
     *
     * @param prompt      the normalised prompt
     * @param rules       what the rule pack made of it
     * @param ruleBlocks  whether that verdict alone reaches the pack's block threshold
     */
    public DetectorScore score(NormalizedPrompt prompt, ContentVerdict rules, boolean ruleBlocks) {
        double[] p = model.probabilities(features(prompt));
        int best = 1;
        for (int c = 2; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        double modelScore = Evidence.shrink(Math.min(1, Math.max(0, 1 - p[0])), prompt.text(), model.spec().minWords());
        double combined = manifest.combiner().score(modelScore, rules.score(), ruleBlocks);
        ModelManifest.Thresholds t = manifest.thresholds();
        DetectorScore.Band band = combined >= t.block() ? DetectorScore.Band.HIGH
                : combined >= t.flag() ? DetectorScore.Band.UNCERTAIN : DetectorScore.Band.LOW;
        return new DetectorScore(manifest.id(), manifest.version(), modelScore, combined, band, categoryOfClass[best]);
    }

    private SparseVector features(NormalizedPrompt prompt) {
        return TextFeatures.of(model.spec(), prompt.text(), prompt.hadInvisible());
    }
}
