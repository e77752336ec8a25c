package org.babysitter.engine.model.loss;

import java.util.BitSet;

import org.ejml.data.DMatrixRMaj;

/**
 * Multiclass SVM (hinge) loss: {@code L = mean(sum_{j != y} max(0, s_j - s_y + 1))}; each positive margin
 * adds 1/N to its score's gradient and subtracts 1/N from the correct class's.
 */
public final class SvmLoss implements Loss {
    private static final double DELTA = 1.0;

    @Override
    public double loss(DMatrixRMaj scores, int[] labels, DMatrixRMaj dscores) {
        int n = scores.numRows;
        int c = scores.numCols;
        double[] s = scores.data;
        double[] ds = null;
        if (dscores != null) {
            dscores.reshape(n, c, false);
            ds = dscores.data;
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            int row = i * c;
            int y = labels[i];
            double correct = s[row + y];
            int positive = 0;
            for (int j = 0; j < c; j++) {
                double margin = j == y ? 0 : s[row + j] - correct + DELTA;
                if (margin > 0) {
                    total += margin;
                    positive++;
                }
                if (ds != null) {
                    ds[row + j] = margin > 0 ? 1.0 / n : 0;
                }
            }
            if (ds != null) {
                ds[row + y] = -(double) positive / n;
            }
        }
        return total / n;
    }

    /** Which margins {@code s_j - s_y + 1} (j != y) were positive. */
    @Override
    public BitSet kinkSides(DMatrixRMaj scores, int[] labels) {
        int n = scores.numRows;
        int c = scores.numCols;
        BitSet sides = new BitSet(n * c);
        for (int i = 0; i < n; i++) {
            double correct = scores.data[i * c + labels[i]];
            for (int j = 0; j < c; j++) {
                if (j != labels[i] && scores.data[i * c + j] - correct + DELTA > 0) {
                    sides.set(i * c + j);
                }
            }
        }
        return sides;
    }
}
