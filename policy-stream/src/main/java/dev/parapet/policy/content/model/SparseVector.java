package dev.parapet.policy.content.model;

/**
 * A sparse feature vector: sorted distinct indices and their values.
 *
 * @param indices feature indices, ascending, no repeats
 * @param values  their values
 */
public record SparseVector(int[] indices, float[] values) {

    public SparseVector {
        if (indices.length != values.length) {
            throw new IllegalArgumentException("indices and values differ in length");
        }
    }

    public int size() {
        return indices.length;
    }
}
