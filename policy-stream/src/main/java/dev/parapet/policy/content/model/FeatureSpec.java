package dev.parapet.policy.content.model;

/**
 * How a prompt becomes a feature vector; part of a model artifact, because weights only mean
 * something with the features they were trained on.
 *
 * @param hashBits      the vector has {@code 2^hashBits} dimensions
 * @param charMin       shortest character n-gram taken inside a word (with word boundary marks)
 * @param charMax       longest such n-gram
 * @param wordBigrams   whether adjacent word pairs are features
 */
public record FeatureSpec(int hashBits, int charMin, int charMax, boolean wordBigrams) {

    public FeatureSpec {
        if (hashBits < 10 || hashBits > 24) {
            throw new IllegalArgumentException("hash_bits must be 10..24, got " + hashBits);
        }
        if (charMin < 1 || charMax < charMin || charMax > 8) {
            throw new IllegalArgumentException("char n-grams must satisfy 1 <= min <= max <= 8, got " + charMin + ".." + charMax);
        }
    }

    public int dimensions() {
        return 1 << hashBits;
    }
}
