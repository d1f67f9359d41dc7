package dev.parapet.policy.content.model;

import java.util.List;
import java.util.Objects;

/**
 * The JSON half of a model artifact: what the weights file is, how to check it, and how to read
 * its scores. Written by the trainer next to the weights; read before the weights are trusted.
 *
 * @param format     artifact format; this build reads {@link #FORMAT}
 * @param id         model name, recorded with every decision
 * @param version    model version, recorded with every decision
 * @param sha256     hex SHA-256 of the weights file
 * @param classes    class names in weight order; class 0 is benign
 * @param features   how prompts become features
 * @param combiner   how the model's score and the rules' verdict become the combined score
 * @param rulePack   version of the rule pack the combiner was fitted with
 * @param thresholds thresholds on the combined score
 * @param training   how the weights were made (data, seed, figures), for the model card; free-form
 */
public record ModelManifest(int format, String id, String version, String sha256, List<String> classes, FeatureSpec features,
                            Combiner combiner, String rulePack, Thresholds thresholds, java.util.Map<String, Object> training) {

    /** The artifact format this build reads and writes. */
    public static final int FORMAT = 1;

    /**
     * @param block at or above this attack score a prompt is blocked
     * @param flag  at or above this (and below block) it is approved but flagged: the uncertain band
     */
    public record Thresholds(double block, double flag) {
        public Thresholds {
            if (!(flag > 0 && flag <= block && block < 1)) {
                throw new IllegalArgumentException("thresholds must satisfy 0 < flag <= block < 1, got flag " + flag + ", block " + block);
            }
        }
    }

    /** The same manifest with the checksum of the weights it describes. */
    public ModelManifest sealed(String weightsSha256) {
        return new ModelManifest(format, id, version, weightsSha256, classes, features, combiner, rulePack, thresholds, training);
    }

    public ModelManifest {
        Objects.requireNonNull(id, "id can't be null");
        Objects.requireNonNull(version, "version can't be null");
        Objects.requireNonNull(sha256, "sha256 can't be null");
        Objects.requireNonNull(features, "features can't be null");
        Objects.requireNonNull(combiner, "combiner can't be null");
        Objects.requireNonNull(rulePack, "rulePack can't be null");
        Objects.requireNonNull(thresholds, "thresholds can't be null");
        classes = List.copyOf(classes);
        training = training == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(training));
    }
}
