package dev.parapet.policy.content.training;

import dev.parapet.policy.content.model.SparseVector;

/**
 * A labelled row turned into what training reads.
 *
 * @param row      the row
 * @param features its feature vector
 * @param target   model class (0 benign), or -1 when it is not trained on
 * @param weight   its weight in the loss
 */
public record Example(LabelledText row, SparseVector features, int target, double weight) {
}
