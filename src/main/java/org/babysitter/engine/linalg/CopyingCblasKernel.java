package org.babysitter.engine.linalg;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The bundled OpenBLAS's {@code cblas_sgemm}/{@code cblas_dgemm} through JavaCPP, for where netlib's JNI wrapper
 * does not exist (macOS, Windows): each call copies the span of each operand it reads into this thread's native
 * buffer, and the span of c back.
 * <p>
 * Why copies: JavaCPP's overloads taking Java arrays pin nothing on HotSpot, they copy the <em>whole</em> array in
 * and out on every call (Get/ReleaseFloatArrayElements; measured: 2x2x2 products on a 100M-element array took
 * ~230 ms per call), and they take no offsets, which the parts of a split product need. Copying the spans a call
 * reads costs time proportional to the operands, not to the product (m k + k n + m n values against m n k
 * multiply-adds), a few per cent of the engine's products. On Linux the bundled library is called through netlib's
 * JNI instead ({@link BundledOpenBlas}), which passes the arrays in place.
 */
final class CopyingCblasKernel implements BlasKernel {
    private final ThreadLocal<FloatPointer[]> floats = ThreadLocal.withInitial(() -> new FloatPointer[3]);
    private final ThreadLocal<DoublePointer[]> doubles = ThreadLocal.withInitial(() -> new DoublePointer[3]);

    /** Needs {@code openblas_nolapack} loaded by JavaCPP ({@link BundledOpenBlas}). */
    CopyingCblasKernel() {
    }

    /** The values a column-major operand of {@code rows x cols} with leading dimension {@code ld} spans. */
    static long span(int rows, int cols, int ld) {
        return rows == 0 || cols == 0 ? 0 : (long) ld * (cols - 1) + rows;
    }

    private static int trans(String t) {
        return t.equalsIgnoreCase("N") ? openblas_nolapack.CblasNoTrans : openblas_nolapack.CblasTrans;
    }

    private static boolean notTransposed(String t) {
        return t.equalsIgnoreCase("N");
    }

    @Override
    public void sgemm(String transA, String transB, int m, int n, int k, float alpha, float[] a, int offA, int lda,
                      float[] b, int offB, int ldb, float beta, float[] c, int offC, int ldc) {
        int sa = (int) (notTransposed(transA) ? span(m, k, lda) : span(k, m, lda));
        int sb = (int) (notTransposed(transB) ? span(k, n, ldb) : span(n, k, ldb));
        int sc = (int) span(m, n, ldc);
        FloatPointer[] p = floats.get();
        FloatPointer pa = floatBuffer(p, 0, sa);
        FloatPointer pb = floatBuffer(p, 1, sb);
        FloatPointer pc = floatBuffer(p, 2, sc);
        pa.position(0).put(a, offA, sa);
        pb.position(0).put(b, offB, sb);
        if (beta != 0 || ldc != m) {
            pc.position(0).put(c, offC, sc);
        }
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasColMajor, trans(transA), trans(transB), m, n, k, alpha,
                pa.position(0), lda, pb.position(0), ldb, beta, pc.position(0), ldc);
        pc.position(0).get(c, offC, sc);
    }

    @Override
    public void dgemm(String transA, String transB, int m, int n, int k, double alpha, double[] a, int offA, int lda,
                      double[] b, int offB, int ldb, double beta, double[] c, int offC, int ldc) {
        int sa = (int) (notTransposed(transA) ? span(m, k, lda) : span(k, m, lda));
        int sb = (int) (notTransposed(transB) ? span(k, n, ldb) : span(n, k, ldb));
        int sc = (int) span(m, n, ldc);
        DoublePointer[] p = doubles.get();
        DoublePointer pa = doubleBuffer(p, 0, sa);
        DoublePointer pb = doubleBuffer(p, 1, sb);
        DoublePointer pc = doubleBuffer(p, 2, sc);
        pa.position(0).put(a, offA, sa);
        pb.position(0).put(b, offB, sb);
        if (beta != 0 || ldc != m) {
            pc.position(0).put(c, offC, sc);
        }
        openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasColMajor, trans(transA), trans(transB), m, n, k, alpha,
                pa.position(0), lda, pb.position(0), ldb, beta, pc.position(0), ldc);
        pc.position(0).get(c, offC, sc);
    }

    private static FloatPointer floatBuffer(FloatPointer[] p, int slot, int size) {
        if (p[slot] == null || p[slot].capacity() < size) {
            p[slot] = new FloatPointer(Math.max(size, 1));
        }
        return p[slot];
    }

    private static DoublePointer doubleBuffer(DoublePointer[] p, int slot, int size) {
        if (p[slot] == null || p[slot].capacity() < size) {
            p[slot] = new DoublePointer(Math.max(size, 1));
        }
        return p[slot];
    }

    @Override
    public String implementation() {
        return "JavaCPP cblas (copies the operands)";
    }
}
