package dev.parapet.policy.content.model;

import dev.parapet.policy.content.ContentCategory;
import java.util.Objects;

/**
 * What the learned detector made of one prompt.
 *
 * @param modelId    the model's name
 * @param version    the model's version
 * @param modelScore the learned model's attack probability alone, 0 to 1
 * @param score      the combined score (model and rules, see {@link Combiner}) that the thresholds apply to, 0 to 1
 * @param band       where the combined score falls against the model's thresholds
 * @param category   the learned model's most likely attack category
 */
public record DetectorScore(String modelId, String version, double modelScore, double score, Band band, ContentCategory category) {

    /** Where a score falls: below the flag threshold, between flag and block (uncertain), or at or above block. */
    public enum Band { LOW, UNCERTAIN, HIGH }

    public DetectorScore {
        Objects.requireNonNull(modelId, "modelId can't be null");
        Objects.requireNonNull(version, "version can't be null");
        Objects.requireNonNull(band, "band can't be null");
        Objects.requireNonNull(category, "category can't be null");
        if (!(score >= 0 && score <= 1) || !(modelScore >= 0 && modelScore <= 1)) {
            throw new IllegalArgumentException("scores must be 0..1, got " + modelScore + " and " + score);
        }
    }
}
