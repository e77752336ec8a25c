package org.babysitter.engine.model;

import org.babysitter.engine.linalg.MirroredMatrix;
import org.ejml.data.DMatrixRMaj;

/**
 * A learned tensor and its gradient, same shape. Weights are {@code regularized} (L2 applies to them);
 * biases and batch-norm scales and shifts are not.
 * <p>
 * A weight whose gradient comes from a product in single precision may keep that gradient in float only
 * ({@code floatGradient}): the product writes it there and the update rule reads it there, with no
 * conversion to double and back in between. {@link #grad()} still gives the gradient in {@code data} to any
 * other reader; the product and the rules use {@link #gradBuffer()}.
 */
public final class Param {
    private final String name;
    private final DMatrixRMaj value;
    private final DMatrixRMaj grad;
    private final boolean regularized;

    public Param(String name, DMatrixRMaj value, boolean regularized) {
        this(name, value, regularized, false);
    }

    public Param(String name, DMatrixRMaj value, boolean regularized, boolean floatGradient) {
        this.name = name;
        this.value = value;
        this.grad = floatGradient ? MirroredMatrix.of(value.numRows, value.numCols, true)
                : new DMatrixRMaj(value.numRows, value.numCols);
        this.regularized = regularized;
    }

    /** "W1", "b1", "gamma1", ... as in the checkpoint. */
    public String name() {
        return name;
    }

    public DMatrixRMaj value() {
        return value;
    }

    /** The gradient, with its values in {@code data}. */
    public DMatrixRMaj grad() {
        MirroredMatrix.ensureData(grad);
        return grad;
    }

    /**
     * The gradient's matrix as it is: a product's output, or for an update rule, whose values may be in its float
     * copy only ({@link #floatGradient()}).
     */
    public DMatrixRMaj gradBuffer() {
        return grad;
    }

    /** The gradient's float copy when that alone holds its values, else null (the values are in {@code data}). */
    public float[] floatGradient() {
        return grad instanceof MirroredMatrix mm && mm.dataStale() ? mm.mirror() : null;
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
