package org.babysitter.engine.linalg;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The bundled OpenBLAS's {@code cblas_sgemm}/{@code cblas_dgemm} through JavaCPP, for where netlib's JNI wrapper
 * does not exist (macOS, Windows): each call copies the block of each operand it reads, packed, into this thread's
 * native buffers, and the block of c back.
 * <p>
 * Why copies: JavaCPP's overloads taking Java arrays pin nothing on HotSpot, they copy the <em>whole</em> array in
 * and out on every call (Get/ReleaseFloatArrayElements; measured: 2x2x2 products on a 100M-element array took
 * ~230 ms per call), and they take no offsets, which the parts of a split product need. Copying the blocks a call
 * reads costs time proportional to the operands, not to the product (m k + k n + m n values against m n k
 * multiply-adds); the block, not the span from its first to its last value, because a slice of k or a block of
 * columns spans nearly the whole matrix. Measured on Linux with {@code -Dbabysitter.openblas.javacpp=true}: see
 * BENCHMARKS.md. On Linux the bundled library is called through netlib's JNI instead ({@link BundledOpenBlas}),
 * which passes the arrays in place.
 */
final class CopyingCblasKernel implements BlasKernel {
    private final ThreadLocal<FloatPointer[]> floats = ThreadLocal.withInitial(() -> new FloatPointer[3]);
    private final ThreadLocal<DoublePointer[]> doubles = ThreadLocal.withInitial(() -> new DoublePointer[3]);

    /** Needs {@code openblas_nolapack} loaded by JavaCPP ({@link BundledOpenBlas}). */
    CopyingCblasKernel() {
    }

    private static int trans(String t) {
        return notTransposed(t) ? openblas_nolapack.CblasNoTrans : openblas_nolapack.CblasTrans;
    }

    private static boolean notTransposed(String t) {
        return t.equalsIgnoreCase("N");
    }

    @Override
    public void sgemm(String transA, String transB, int m, int n, int k, float alpha, float[] a, int offA, int lda,
                      float[] b, int offB, int ldb, float beta, float[] c, int offC, int ldc) {
        // column-major operands as stored: a is m x k (k x m transposed), b k x n (n x k), c m x n
        int ra = notTransposed(transA) ? m : k;
        int ca = notTransposed(transA) ? k : m;
        int rb = notTransposed(transB) ? k : n;
        int cb = notTransposed(transB) ? n : k;
        FloatPointer[] p = floats.get();
        FloatPointer pa = floatBuffer(p, 0, (long) ra * ca);
        FloatPointer pb = floatBuffer(p, 1, (long) rb * cb);
        FloatPointer pc = floatBuffer(p, 2, (long) m * n);
        pack(a, offA, ra, ca, lda, pa);
        pack(b, offB, rb, cb, ldb, pb);
        if (beta != 0) {
            pack(c, offC, m, n, ldc, pc);
        }
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasColMajor, trans(transA), trans(transB), m, n, k, alpha,
                pa.position(0), Math.max(1, ra), pb.position(0), Math.max(1, rb), beta, pc.position(0), Math.max(1, m));
        unpack(pc, c, offC, m, n, ldc);
    }

    @Override
    public void dgemm(String transA, String transB, int m, int n, int k, double alpha, double[] a, int offA, int lda,
                      double[] b, int offB, int ldb, double beta, double[] c, int offC, int ldc) {
        int ra = notTransposed(transA) ? m : k;
        int ca = notTransposed(transA) ? k : m;
        int rb = notTransposed(transB) ? k : n;
        int cb = notTransposed(transB) ? n : k;
        DoublePointer[] p = doubles.get();
        DoublePointer pa = doubleBuffer(p, 0, (long) ra * ca);
        DoublePointer pb = doubleBuffer(p, 1, (long) rb * cb);
        DoublePointer pc = doubleBuffer(p, 2, (long) m * n);
        pack(a, offA, ra, ca, lda, pa);
        pack(b, offB, rb, cb, ldb, pb);
        if (beta != 0) {
            pack(c, offC, m, n, ldc, pc);
        }
        openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasColMajor, trans(transA), trans(transB), m, n, k, alpha,
                pa.position(0), Math.max(1, ra), pb.position(0), Math.max(1, rb), beta, pc.position(0), Math.max(1, m));
        unpack(pc, c, offC, m, n, ldc);
    }

    /** The {@code rows x cols} column-major block at {@code off} (leading dimension {@code ld}) into {@code dst}, packed. */
    private static void pack(float[] src, int off, int rows, int cols, int ld, FloatPointer dst) {
        if (ld == rows || cols == 1) {
            dst.position(0).put(src, off, rows * cols);
            return;
        }
        for (int j = 0; j < cols; j++) {
            dst.position((long) j * rows).put(src, off + j * ld, rows);
        }
    }

    private static void unpack(FloatPointer src, float[] dst, int off, int rows, int cols, int ld) {
        if (ld == rows || cols == 1) {
            src.position(0).get(dst, off, rows * cols);
            return;
        }
        for (int j = 0; j < cols; j++) {
            src.position((long) j * rows).get(dst, off + j * ld, rows);
        }
    }

    private static void pack(double[] src, int off, int rows, int cols, int ld, DoublePointer dst) {
        if (ld == rows || cols == 1) {
            dst.position(0).put(src, off, rows * cols);
            return;
        }
        for (int j = 0; j < cols; j++) {
            dst.position((long) j * rows).put(src, off + j * ld, rows);
        }
    }

    private static void unpack(DoublePointer src, double[] dst, int off, int rows, int cols, int ld) {
        if (ld == rows || cols == 1) {
            src.position(0).get(dst, off, rows * cols);
            return;
        }
        for (int j = 0; j < cols; j++) {
            src.position((long) j * rows).get(dst, off + j * ld, rows);
        }
    }

    private static FloatPointer floatBuffer(FloatPointer[] p, int slot, long size) {
        if (p[slot] == null || p[slot].capacity() < size) {
            p[slot] = new FloatPointer(Math.max(size, 1));
        }
        return p[slot];
    }

    private static DoublePointer doubleBuffer(DoublePointer[] p, int slot, long size) {
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
