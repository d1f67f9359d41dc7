package dev.parapet.policy.content.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How a prompt becomes a feature vector; part of a model artifact, because weights only mean
 * something with the features they were trained on.
 *
 * @param hashBits      the vector has {@code 2^hashBits} dimensions
 * @param charMin       shortest character n-gram taken inside a word (with word boundary marks)
 * @param charMax       longest such n-gram
 * @param wordBigrams   whether adjacent word pairs are features
 * @param normFloor     each feature family is scaled to unit length, but never by more than
 *                      {@code 1/sqrt(normFloor)}: a text of a handful of features ("ok", "status")
 *                      keeps small values instead of a few maximal ones, so the model's score of
 *                      a short text stays near its prior. Null (artifacts before it existed) means 0, no floor.
 * @param evidenceWords under this many words the model's log-odds shrink toward even odds in proportion
 *                      ({@link Evidence}); null or 0: never
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeatureSpec(int hashBits, int charMin, int charMax, boolean wordBigrams, Double normFloor, Integer evidenceWords) {

    public FeatureSpec {
        if (hashBits < 10 || hashBits > 24) {
            throw new IllegalArgumentException("hash_bits must be 10..24, got " + hashBits);
        }
        if (charMin < 1 || charMax < charMin || charMax > 8) {
            throw new IllegalArgumentException("char n-grams must satisfy 1 <= min <= max <= 8, got " + charMin + ".." + charMax);
        }
        if (normFloor != null && !(normFloor >= 0 && normFloor <= 10_000)) {
            throw new IllegalArgumentException("norm_floor must be 0..10000, got " + normFloor);
        }
        if (evidenceWords != null && (evidenceWords < 0 || evidenceWords > 1_000)) {
            throw new IllegalArgumentException("evidence_words must be 0..1000, got " + evidenceWords);
        }
    }

    /** Features without a norm floor, as the first artifacts were trained. */
    public FeatureSpec(int hashBits, int charMin, int charMax, boolean wordBigrams) {
        this(hashBits, charMin, charMax, wordBigrams, null, null);
    }

    /** The word count under which the model's score is shrunk (0: never). */
    public int minWords() {
        return evidenceWords == null ? 0 : evidenceWords;
    }

    /** The floor under each family's squared length (0: none). */
    public double floor() {
        return normFloor == null ? 0 : normFloor;
    }

    public int dimensions() {
        return 1 << hashBits;
    }
}
