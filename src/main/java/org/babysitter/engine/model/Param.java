package org.babysitter.engine.model;

import org.babysitter.engine.linalg.MirroredMatrix;
import org.ejml.data.DMatrixRMaj;

/**
 * A learned tensor and its gradient, same shape. Weights are {@code regularized} (L2 applies to them);
 * biases and batch-norm scales and shifts are not.
 * <p>
 * A weight multiplied in single precision ({@code inFloat}: the backend {@link
 * org.babysitter.engine.linalg.Gemm#readsFloatCopies() reads float copies}) keeps its values and its gradient in
 * float: the products read and write them there and the update rule steps them there, with no conversion to
 * double and back in between, and half the bytes moved per step. Its value must then be a {@link MirroredMatrix}
 * made {@code floatFirst}. {@link #value()} and {@link #grad()} still give the values in {@code data} to any
 * other reader (filled from float when needed); the products use {@link #valueBuffer()} and
 * {@link #gradBuffer()}, the rules {@link #floatValues()} and {@link #floatGradientValues()}.
 */
public final class Param {
    private final String name;
    private final DMatrixRMaj value;
    private final DMatrixRMaj grad;
    private final boolean regularized;

    public Param(String name, DMatrixRMaj value, boolean regularized) {
        this(name, value, regularized, false);
    }

    public Param(String name, DMatrixRMaj value, boolean regularized, boolean inFloat) {
        if (inFloat && !(value instanceof MirroredMatrix mm && mm.floatFirst())) {
            throw new IllegalArgumentException(name + ": a param kept in float needs a float-first MirroredMatrix value");
        }
        this.name = name;
        this.value = value;
        this.grad = inFloat ? MirroredMatrix.of(value.numRows, value.numCols, true)
                : new DMatrixRMaj(value.numRows, value.numCols);
        this.regularized = regularized;
    }

    /** "W1", "b1", "gamma1", ... as in the checkpoint. */
    public String name() {
        return name;
    }

    /**
     * The values, in {@code data}. Whoever writes {@code data} tells the owner afterwards
     * ({@link FullyConnectedNet#paramsChanged()}, or {@link MirroredMatrix#invalidate}), so the float copy is
     * refreshed from it, and does not keep the matrix across training steps to write it later.
     */
    public DMatrixRMaj value() {
        MirroredMatrix.ensureData(value);
        return value;
    }

    /** The value's matrix as it is, for products: a param kept in float may hold its values in the float copy only. */
    public DMatrixRMaj valueBuffer() {
        return value;
    }

    /** True if this param's values and gradient are kept in float (see the class comment). */
    public boolean inFloat() {
        return value instanceof MirroredMatrix mm && mm.floatFirst();
    }

    /**
     * For an update rule, a param {@link #inFloat() kept in float}: its values in float, to step in place and then
     * call {@link #floatValuesWritten()}. Filled from {@code data} first if that was written since.
     */
    public float[] floatValues() {
        MirroredMatrix mm = (MirroredMatrix) value;
        float[] f = mm.mirror();
        if (!mm.mirrorValid()) {
            MirroredMatrix.toFloat(mm.data, f, mm.getNumElements());
            mm.markMirrorValid();
        }
        return f;
    }

    /** The float values were just stepped: {@code data} is stale until {@link #value()} reads them. */
    public void floatValuesWritten() {
        ((MirroredMatrix) value).markFloatOnly();
    }

    /** The gradient, with its values in {@code data}. */
    public DMatrixRMaj grad() {
        MirroredMatrix.ensureData(grad);
        return grad;
    }

    /**
     * The gradient's matrix as it is: a product's output, or for an update rule, whose values may be in its float
     * copy only ({@link #floatGradientValues()}).
     */
    public DMatrixRMaj gradBuffer() {
        return grad;
    }

    /**
     * For an update rule, a param {@link #inFloat() kept in float}: its gradient in float, as the product wrote it,
     * or converted from {@code data} if a reader of {@link #grad()} may have written that since.
     */
    public float[] floatGradientValues() {
        MirroredMatrix mm = (MirroredMatrix) grad;
        float[] f = mm.mirror();
        if (!mm.dataStale()) {
            MirroredMatrix.toFloat(mm.data, f, mm.getNumElements());
        }
        return f;
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
