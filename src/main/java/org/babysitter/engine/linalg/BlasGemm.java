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
 * <p>
 * With {@code threads > 1}, a large product is split into that many blocks of rows of {@code c}, each one BLAS
 * call on its own thread (the BLAS itself then runs one thread per call: see {@link OpenBlasThreads}). The blocks
 * are fixed by the shapes alone, so the same product always gives the same bits.
 * <p>
 * A single-precision product whose inner size is long next to its output ({@code k >= 4 max(m, n)}: the first
 * layer's forward product, 100x3072 by 3072x50) is split along k instead: each thread multiplies its slice of
 * the inner dimension into its own partial output, and the partials are added in block order. Split by rows,
 * every thread would pack the whole of the shared operand (the weights) itself; split along k, each packs half
 * of both. Measured inside training at H=50, batch 100: 1.3 ms for that product against 1.75 ms by rows, and
 * 0.8 ms with each thread's half in slices of {@link #OPENBLAS_K_SLICE}.
 */
public final class BlasGemm implements Gemm {
    /** What the products compute in. */
    public enum Precision {
        DOUBLE, FLOAT
    }

    private final BLAS blas;
    private final Precision precision;
    private final String name;
    private final String description;
    private final int threads;
    private final int kSlice;
    /** Per calling thread: c, then the other slices' partial outputs of a product split along k. */
    private final ThreadLocal<float[][]> partials = ThreadLocal.withInitial(() -> new float[0][]);
    private final ThreadLocal<float[][]> scratch = ThreadLocal.withInitial(() -> new float[3][0]);

    /**
     * Products split in at most {@code threads} blocks; a product split along k makes one BLAS call per
     * {@code kSlice} of each thread's part (0: one call per part). {@code description} says what runs them, for the user.
     */
    public BlasGemm(BLAS blas, Precision precision, String name, int threads, int kSlice, String description) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (kSlice < 0) {
            throw new IllegalArgumentException("kSlice must be >= 0 (0: none), got " + kSlice);
        }
        this.blas = blas;
        this.precision = precision;
        this.name = name;
        this.threads = threads;
        this.kSlice = kSlice;
        this.description = description;
    }

    /** Products split in at most {@code threads} blocks, each one BLAS call. */
    public BlasGemm(BLAS blas, Precision precision, String name, int threads, String description) {
        this(blas, precision, name, threads, 0, description);
    }

    /**
     * The slice of k per call for OpenBLAS's single-precision products split along k: chosen by measurement on
     * the first layer's forward product (100x3072 by 3072x50, in training): 0.81-0.84 ms in slices of 384 against
     * 1.32 ms for two whole halves, while slices of 256, 320, 448 and 512 were slower than halves (1.1-2.0 ms).
     * Large products (H=500) run the same either way. Found by measurement on this OpenBLAS build (0.3.21, Zen);
     * why 384 and not its neighbours was not established.
     */
    public static final int OPENBLAS_K_SLICE = 384;

    /** Unsplit products. */
    public BlasGemm(BLAS blas, Precision precision, String name) {
        this(blas, precision, name, 1, name);
    }

    /** Fewer multiply-adds than this and a product runs on the calling thread: forking would cost more. */
    static final long SPLIT_FROM = 1L << 21;
    /** The smallest block of rows worth a thread. */
    static final int MIN_ROWS = 16;

    /** How many row blocks a product with c [m x n] and inner size k is split into. */
    int blocks(int m, int n, int k) {
        if (threads == 1 || (long) m * n * k < SPLIT_FROM || innerSplit(m, n, k)) {
            return 1;
        }
        return Math.max(1, Math.min(threads, m / MIN_ROWS));
    }

    /** True if a product with c [m x n] and inner size k is split along k (single precision only). */
    boolean innerSplit(int m, int n, int k) {
        return precision == Precision.FLOAT && threads > 1 && (long) m * n * k >= SPLIT_FROM
                && k >= INNER_SPLIT_RATIO * Math.max(m, n);
    }

    /** A product is split along k when k is at least this many times c's longer side. */
    static final int INNER_SPLIT_RATIO = 4;

    @Override
    public String describe() {
        return description;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean readsFloatCopies() {
        return precision == Precision.FLOAT;
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
            MirroredMatrix.beforeDoubleProduct(a, b, beta, c);
            double[] ad = a.data;
            double[] bd = b.data;
            double[] cd = c.data;
            inBlocks(m, n, k, (r0, r1) -> blas.dgemm(opB, opA, n, r1 - r0, k, alpha, bd, 0, ldb,
                    ad, transA ? r0 : r0 * lda, lda, beta, cd, r0 * ldc, ldc));
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
        // a float-first output (a weight's gradient) keeps the product in its float copy only
        MirroredMatrix floatOut = c instanceof MirroredMatrix mm && mm.floatFirst() ? mm : null;
        float[] fc;
        if (floatOut != null) {
            fc = floatOut.mirror();
            if (beta != 0 && !floatOut.mirrorValid()) {
                toFloat(c, fc);
            }
        } else {
            fc = MirroredMatrix.validMirror(c);
            if (fc == null) {
                fc = beta == 0 ? buffer(s, 2, c.getNumElements()) : toFloat(c, s, 2);
            }
        }
        double[] cd = floatOut != null ? null : c.data;
        float[] keep = MirroredMatrix.mirrorOf(c);
        float[] fA = fa;
        float[] fB = fb;
        float[] fC = fc;
        if (innerSplit(m, n, k)) {
            int slice = kSlice > 0 ? kSlice : k;
            innerBlocks(m * n, k, (float) beta, fC, (k0, k1, out, outBeta) -> {
                // this thread's part of k, one BLAS call per slice, accumulated
                for (int q = k0; q < k1; q += slice) {
                    blas.sgemm(opB, opA, n, m, Math.min(slice, k1 - q), (float) alpha, fB, transB ? q : q * ldb, ldb,
                            fA, transA ? q * lda : q, lda, q == k0 ? outBeta : 1f, out, 0, ldc);
                }
            });
            writeBack(fC, keep, cd, 0, m * n);
        } else {
            inBlocks(m, n, k, (r0, r1) -> {
                blas.sgemm(opB, opA, n, r1 - r0, k, (float) alpha, fB, 0, ldb, fA, transA ? r0 : r0 * lda, lda,
                        (float) beta, fC, r0 * ldc, ldc);
                // each block writes its own rows back
                writeBack(fC, keep, cd, r0 * ldc, r1 * ldc);
            });
        }
        if (floatOut != null) {
            floatOut.markFloatOnly();
        } else {
            MirroredMatrix.validate(c);
            MirroredMatrix.dataWritten(c);
        }
    }

    /**
     * Entries [from, to) of a float product {@code fc} into c's double {@code cd} (none for a float-first output)
     * and into c's kept float copy {@code keep} when the product was computed elsewhere.
     */
    private static void writeBack(float[] fc, float[] keep, double[] cd, int from, int to) {
        if (cd == null) {
            return;
        }
        if (keep != null && keep != fc) {
            System.arraycopy(fc, from, keep, from, to - from);
        }
        for (int i = from; i < to; i++) {
            cd[i] = fc[i];
        }
    }

    /** Rows [r0, r1) of c. */
    @FunctionalInterface
    private interface Block {
        void run(int r0, int r1);
    }

    /** Runs rows [0, m) of c as {@link #blocks} blocks, in parallel when there are several. */
    private void inBlocks(int m, int n, int k, Block block) {
        int parts = blocks(m, n, k);
        if (parts == 1) {
            block.run(0, m);
            return;
        }
        Parallel.forEach(parts, p -> block.run((int) ((long) m * p / parts), (int) ((long) m * (p + 1) / parts)));
    }

    /** Inner slice [k0, k1) of a product into {@code out} (the size of c), which it scales by {@code beta} first. */
    @FunctionalInterface
    private interface InnerBlock {
        void run(int k0, int k1, float[] out, float beta);
    }

    /**
     * Runs the inner dimension [0, k) as {@code threads} slices in parallel, the first into {@code c} (scaled by
     * {@code beta}), the others into partial outputs of this thread's, then adds those into {@code c} in slice order.
     */
    private void innerBlocks(int len, int k, float beta, float[] c, InnerBlock block) {
        float[][] out = partials.get();
        if (out.length < threads) {
            out = new float[threads][];
            partials.set(out);
        }
        out[0] = c;
        for (int p = 1; p < threads; p++) {
            if (out[p] == null || out[p].length < len) {
                out[p] = new float[len];
            }
        }
        float[][] o = out;
        int parts = threads;
        Parallel.forEach(parts, p -> block.run((int) ((long) k * p / parts), (int) ((long) k * (p + 1) / parts), o[p], p == 0 ? beta : 0f));
        for (int p = 1; p < parts; p++) {
            float[] q = o[p];
            for (int i = 0; i < len; i++) {
                c[i] += q[i];
            }
        }
        out[0] = null;
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
        return toFloat(m, buffer(s, slot, m.getNumElements()));
    }

    /** {@code m}'s values into {@code f}; returns f. */
    private static float[] toFloat(DMatrixRMaj m, float[] f) {
        MirroredMatrix.toFloat(m.data, f, m.getNumElements());
        return f;
    }
}
