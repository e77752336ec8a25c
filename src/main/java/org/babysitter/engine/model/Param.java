package org.babysitter.engine.model;

import org.ejml.data.DMatrixRMaj;

/**
 * A learned tensor and its gradient, same shape. Weights are {@code regularized} (L2 applies to them);
 * biases and batch-norm scales and shifts are not.
 */
public final class Param {
    private final String name;
    private final DMatrixRMaj value;
    private final DMatrixRMaj grad;
    private final boolean regularized;

    public Param(String name, DMatrixRMaj value, boolean regularized) {
        this.name = name;
        this.value = value;
        this.grad = new DMatrixRMaj(value.numRows, value.numCols);
        this.regularized = regularized;
    }

    /** "W1", "b1", "gamma1", ... as in the checkpoint. */
    public String name() {
        return name;
    }

    public DMatrixRMaj value() {
        return value;
    }

    public DMatrixRMaj grad() {
        return grad;
    }

    public boolean regularized() {
        return regularized;
    }

    public int size() {
        return value.getNumElements();
    }

    @Override
    public String toString() {
        return name + " [" + value.numRows + "x" + value.numCols + "]";
    }
}
