package org.babysitter.engine.linalg;

import org.ejml.data.DMatrixRMaj;

/**
 * The one seam every matrix product of the engine goes through:
 * {@code c = alpha * op(a) * op(b) + beta * c}, with {@code op(m)} = m or its transpose, all matrices
 * row-major EJML {@link DMatrixRMaj}. Implementations may be faster than EJML's own, but must agree with
 * it to 1e-5 relative; {@link #exact()} says whether they compute in double precision (gradient checks
 * need one that does). {@code c} must already have the result's shape and must not alias {@code a} or {@code b}.
 * An implementation that reads {@code data} calls {@link MirroredMatrix#ensureData} on its operands first.
 */
public interface Gemm {
    void gemm(boolean transA, boolean transB, double alpha, DMatrixRMaj a, DMatrixRMaj b, double beta, DMatrixRMaj c);

    /** A short name for logs and the status bar, e.g. "ejml-mt". */
    String name();

    /** What computes the products, in a sentence for the user (library, precision, threads); the name by default. */
    default String describe() {
        return name();
    }

    /** True if products are computed in double precision throughout. */
    default boolean exact() {
        return true;
    }

    /**
     * True if the products read a {@link MirroredMatrix}'s valid float copy instead of its {@code data}: writers
     * of input batches may then keep the values in the float copy only ({@link MirroredMatrix#of}).
     */
    default boolean readsFloatCopies() {
        return false;
    }

    /**
     * How many threads a product may use; a layer's own passes around its products (rearranging a convolution's
     * inputs and outputs) use as many, so a run given one core of a shared machine keeps to one.
     */
    default int threads() {
        return 1;
    }

    /** c = a * b, reshaping c. */
    default void mult(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        c.reshape(a.numRows, b.numCols, false);
        gemm(false, false, 1, a, b, 0, c);
    }

    /** c = a^T * b, reshaping c. */
    default void multTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        c.reshape(a.numCols, b.numCols, false);
        gemm(true, false, 1, a, b, 0, c);
    }

    /** c = a * b^T, reshaping c. */
    default void multTransB(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        c.reshape(a.numRows, b.numRows, false);
        gemm(false, true, 1, a, b, 0, c);
    }

    /** Checks shapes; implementations call it first. */
    static void checkShapes(boolean transA, boolean transB, DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        int m = transA ? a.numCols : a.numRows;
        int k = transA ? a.numRows : a.numCols;
        int kb = transB ? b.numCols : b.numRows;
        int n = transB ? b.numRows : b.numCols;
        if (k != kb || c.numRows != m || c.numCols != n) {
            throw new IllegalArgumentException("gemm shapes: op(a) " + m + "x" + k + ", op(b) " + kb + "x" + n
                    + ", c " + c.numRows + "x" + c.numCols);
        }
        if (c == a || c == b) {
            throw new IllegalArgumentException("gemm output must not alias an input");
        }
    }
}
