package org.babysitter.engine.model.loss;

import java.util.BitSet;

import org.ejml.data.DMatrixRMaj;

/** A classification loss over class scores [N x C]: the mean over rows, and its gradient with respect to the scores. */
public interface Loss {
    /**
     * @param scores  class scores, one row per example
     * @param labels  the correct class of each row (at least {@code scores.numRows} entries)
     * @param dscores receives dLoss/dscores, reshaped to the scores' shape; may be null when only the value is wanted
     * @return the mean loss
     */
    double loss(DMatrixRMaj scores, int[] labels, DMatrixRMaj dscores);

    /**
     * Which side of its kinks each score was on (the SVM's margins: positive or not), or null for a smooth loss: a
     * gradient check compares these between its x+h and x-h evaluations.
     */
    default BitSet kinkSides(DMatrixRMaj scores, int[] labels) {
        return null;
    }
}
