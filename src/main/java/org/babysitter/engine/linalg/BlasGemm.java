package org.babysitter.engine.linalg;

import dev.ludovic.netlib.blas.BLAS;
import org.ejml.data.DMatrixRMaj;

/**
 * Products through a BLAS (dev.ludovic.netlib): the system's OpenBLAS over JNI where it is installed, else
 * netlib's pure-Java implementation (Vector API when {@code --add-modules jdk.incubator.vector} is given).
 * <p>
 * Row-major without copies: a row-major {@code C = op(A) op(B)} is the column-major {@code C^T = op(B)^T op(A)^T},
 * so the call swaps the operands (and m with n) and passes each matrix's row length as its leading dimension.
 * <p>
 * In {@link Precision#FLOAT} operands are multiplied with {@code sgemm} (twice the arithmetic rate of
 * {@code dgemm}): a {@link MirroredMatrix} with a valid float copy is used as it is (weights and input batches
 * keep one), anything else is converted into a per-thread float buffer; the product is written back as double.
 * Results agree with double products to about 1e-6 relative, well inside the 1e-5 the seam allows, but too
 * coarse for gradient checks, so {@link #exact()} is false.
 */
public final class BlasGemm implements Gemm {
    /** What the products compute in. */
    public enum Precision {
        DOUBLE, FLOAT
    }

    private final BLAS blas;
    private final Precision precision;
    private final String name;
    private final ThreadLocal<float[][]> scratch = ThreadLocal.withInitial(() -> new float[3][0]);

    public BlasGemm(BLAS blas, Precision precision, String name) {
        this.blas = blas;
        this.precision = precision;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean exact() {
        return precision == Precision.DOUBLE;
    }

    /** The implementation class netlib chose, e.g. "JNIBLAS" (native) or "VectorBLAS". */
    public String implementation() {
        return blas.getClass().getSimpleName();
    }

    @Override
    public void gemm(boolean transA, boolean transB, double alpha, DMatrixRMaj a, DMatrixRMaj b, double beta, DMatrixRMaj c) {
        Gemm.checkShapes(transA, transB, a, b, c);
        int m = c.numRows;
        int n = c.numCols;
        int k = transA ? a.numRows : a.numCols;
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            scale(beta, c);
            return;
        }
        String opB = transB ? "T" : "N";
        String opA = transA ? "T" : "N";
        int lda = Math.max(1, a.numCols);
        int ldb = Math.max(1, b.numCols);
        int ldc = Math.max(1, n);
        if (precision == Precision.DOUBLE) {
            blas.dgemm(opB, opA, n, m, k, alpha, b.data, 0, ldb, a.data, 0, lda, beta, c.data, 0, ldc);
            return;
        }
        float[][] s = scratch.get();
        float[] fa = MirroredMatrix.validMirror(a);
        if (fa == null) {
            fa = toFloat(a, s, 0);
        }
        float[] fb = MirroredMatrix.validMirror(b);
        if (fb == null) {
            fb = toFloat(b, s, 1);
        }
        float[] fc = MirroredMatrix.validMirror(c);
        if (fc == null) {
            fc = beta == 0 ? buffer(s, 2, c.getNumElements()) : toFloat(c, s, 2);
        }
        blas.sgemm(opB, opA, n, m, k, (float) alpha, fb, 0, ldb, fa, 0, lda, (float) beta, fc, 0, ldc);
        double[] cd = c.data;
        float[] keep = MirroredMatrix.mirrorOf(c);
        int len = c.getNumElements();
        if (keep != null && keep != fc) {
            System.arraycopy(fc, 0, keep, 0, len);
        }
        for (int i = 0; i < len; i++) {
            cd[i] = fc[i];
        }
        MirroredMatrix.validate(c);
    }

    private static void scale(double beta, DMatrixRMaj c) {
        for (int i = 0, len = c.getNumElements(); i < len; i++) {
            c.data[i] = beta == 0 ? 0 : beta * c.data[i];
        }
    }

    private static float[] buffer(float[][] s, int slot, int size) {
        if (s[slot].length < size) {
            s[slot] = new float[size];
        }
        return s[slot];
    }

    private static float[] toFloat(DMatrixRMaj m, float[][] s, int slot) {
        int len = m.getNumElements();
        float[] f = buffer(s, slot, len);
        double[] d = m.data;
        for (int i = 0; i < len; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
