package org.babysitter.engine.model.loss;

import org.ejml.data.DMatrixRMaj;

/**
 * Softmax cross-entropy: {@code L = -mean(log(e^{s_y} / sum_j e^{s_j}))}, computed with scores shifted by
 * their row maximum for stability; {@code dL/ds = (softmax(s) - onehot(y)) / N}. With near-zero scores it is
 * ln(C), the lecture's first sanity check.
 */
public final class SoftmaxLoss implements Loss {
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
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, s[row + j]);
            }
            double sum = 0;
            for (int j = 0; j < c; j++) {
                sum += Math.exp(s[row + j] - max);
            }
            double logSum = Math.log(sum);
            int y = labels[i];
            total += logSum - (s[row + y] - max);
            if (ds != null) {
                for (int j = 0; j < c; j++) {
                    ds[row + j] = Math.exp(s[row + j] - max - logSum) / n;
                }
                ds[row + y] -= 1.0 / n;
            }
        }
        return total / n;
    }
}
