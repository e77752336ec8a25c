package org.babysitter.engine.linalg;

import dev.ludovic.netlib.blas.BLAS;
import org.ejml.data.DMatrixRMaj;

/**
 * Products through a BLAS ({@link BlasKernel}): the bundled or the system's OpenBLAS (see {@link Gemms} for which),
 * else netlib's pure-Java implementation (Vector API when {@code --add-modules jdk.incubator.vector} is given).
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
 * <b>Parts.</b> A large product is cut into parts, each computed by its own BLAS calls (the BLAS itself runs one
 * thread per call: see {@link OpenBlasThreads}), and up to {@code threads} threads share the parts. How a product
 * is cut depends on its shape and this backend's constants only, never on the thread count, so a product gives
 * the same bits on 1 thread or 16, and a seeded run the same curves on any number of cores of the same machine.
 * The cut has to be fixed, not just the order of the sums: a BLAS call's bits depend on its arguments, and
 * OpenBLAS gives a row of {@code c} different bits depending on the block of rows it is computed in (its
 * kernels treat edge tiles and small calls differently), as the pure-Java BLAS does for blocks of few rows.
 * <ul>
 * <li>By rows ({@link #rowParts}): an even number of blocks of rows of {@code c} of at least {@link #MIN_ROWS}
 * rows, at most {@link #MAX_PARTS}; each block is one call. Even, so that two threads (the common case) share
 * them evenly; not more, because every call packs the whole shared operand again.</li>
 * <li>Along k ({@link #innerSplit}, single precision, when the inner size is long next to the output: the first
 * layer's forward product, 100x3072 by 3072x50): k is cut into slices of {@code kSlice} and the slices into at most
 * {@link #MAX_PARTS} parts of consecutive slices; each part multiplies its slices into its own partial output (one
 * call per slice, accumulated), and the partials are added into {@code c} in part order. Split by rows, every
 * part would pack the whole of the shared operand (the weights); split along k, each packs its slice of both.</li>
 * </ul>
 * Products under {@link #SPLIT_FROM} multiply-adds are one call on the calling thread.
 */
public final class BlasGemm implements Gemm {
    /** What the products compute in. */
    public enum Precision {
        DOUBLE, FLOAT
    }

    private final BlasKernel blas;
    private final Precision precision;
    private final String name;
    private final String description;
    private final int threads;
    private final int kSlice;
    /** Per calling thread: the partial outputs of a product split along k (the first is c's, set per product). */
    private final ThreadLocal<float[][]> partials = ThreadLocal.withInitial(() -> new float[MAX_PARTS][]);
    private final ThreadLocal<float[][]> scratch = ThreadLocal.withInitial(() -> new float[3][0]);

    /**
     * Products whose parts run on up to {@code threads} threads; a product split along k is cut into slices of
     * {@code kSlice}. {@code description} says what runs them, for the user.
     */
    public BlasGemm(BLAS blas, Precision precision, String name, int threads, int kSlice, String description) {
        this(BlasKernel.of(blas), precision, name, threads, kSlice, description);
    }

    /** As {@link #BlasGemm(BLAS, Precision, String, int, int, String)}, the calls made by {@code kernel}. */
    BlasGemm(BlasKernel kernel, Precision precision, String name, int threads, int kSlice, String description) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (kSlice < 1) {
            throw new IllegalArgumentException("kSlice must be >= 1, got " + kSlice);
        }
        this.blas = kernel;
        this.precision = precision;
        this.name = name;
        this.threads = threads;
        this.kSlice = kSlice;
        this.description = description;
    }

    /** Products whose parts run on up to {@code threads} threads, k cut into slices of {@link #K_SLICE}. */
    public BlasGemm(BLAS blas, Precision precision, String name, int threads, String description) {
        this(blas, precision, name, threads, K_SLICE, description);
    }

    /**
     * The slice of k per call of a single-precision product split along k. Chosen by measurement on OpenBLAS's
     * first-layer forward product (100x3072 by 3072x50), where neighbouring lengths and whole halves were slower;
     * why this length and not its neighbours was not established. 3072 is 8 slices of it. The pure-Java BLAS
     * uses the same slices (not tuned for it).
     */
    public static final int K_SLICE = 384;

    /** Products on the calling thread. */
    public BlasGemm(BLAS blas, Precision precision, String name) {
        this(blas, precision, name, 1, name);
    }

    /** Fewer multiply-adds than this and a product is one call on the calling thread: forking would cost more. */
    static final long SPLIT_FROM = 1L << 21;
    /** The fewest rows of a part split by rows. */
    static final int MIN_ROWS = 32;
    /** The most parts a product is cut into (by rows or along k); more threads than this do not help a product. */
    static final int MAX_PARTS = 8;
    /** A single-precision product is split along k when k is at least this many times c's longer side. */
    static final int INNER_SPLIT_RATIO = 4;
    /** Entries of c per piece of adding the partials of a product split along k. */
    private static final int SUM_PIECE = 1 << 14;

    /** How many blocks of rows a product with c [m x n] and inner size k is cut into: a function of the shape alone. */
    int rowParts(int m, int n, int k) {
        if ((long) m * n * k < SPLIT_FROM || innerSplit(m, n, k)) {
            return 1;
        }
        int parts = Math.min(MAX_PARTS, m / MIN_ROWS);
        return parts < 2 ? 1 : parts & ~1;
    }

    /** True if a product with c [m x n] and inner size k is split along k: single precision only, a function of the shape. */
    boolean innerSplit(int m, int n, int k) {
        return precision == Precision.FLOAT && (long) m * n * k >= SPLIT_FROM
                && k >= INNER_SPLIT_RATIO * Math.max(m, n) && k > kSlice;
    }

    /** How many parts a product split along k with inner size k is cut into. */
    int innerParts(int k) {
        return Math.min(MAX_PARTS, slices(k));
    }

    private int slices(int k) {
        return (k + kSlice - 1) / kSlice;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int threads() {
        return threads;
    }

    @Override
    public boolean readsFloatCopies() {
        return precision == Precision.FLOAT;
    }

    @Override
    public boolean exact() {
        return precision == Precision.DOUBLE;
    }

    /** What makes the calls, e.g. "JNIBLAS" (netlib over JNI), "VectorBLAS", or JavaCPP's cblas. */
    public String implementation() {
        return blas.implementation();
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
            int parts = rowParts(m, n, k);
            Parallel.forEach(parts, threads, p -> {
                int r0 = rowStart(m, parts, p);
                int r1 = rowStart(m, parts, p + 1);
                blas.dgemm(opB, opA, n, r1 - r0, k, alpha, bd, 0, ldb, ad, transA ? r0 : r0 * lda, lda, beta, cd, r0 * ldc, ldc);
            });
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
            int slices = slices(k);
            int parts = innerParts(k);
            int len = m * n;
            float[][] out = partials(parts, len, fC);
            float fAlpha = (float) alpha;
            float fBeta = (float) beta;
            Parallel.forEach(parts, threads, p -> {
                // part p: slices [s0, s1) of k into its own partial (part 0 into c, scaled by beta), one call each
                int s0 = (int) ((long) slices * p / parts);
                int s1 = (int) ((long) slices * (p + 1) / parts);
                for (int sl = s0; sl < s1; sl++) {
                    int q = sl * kSlice;
                    float sliceBeta = sl > s0 ? 1f : p == 0 ? fBeta : 0f;
                    blas.sgemm(opB, opA, n, m, Math.min(kSlice, k - q), fAlpha, fB, transB ? q : q * ldb, ldb,
                            fA, transA ? q * lda : q, lda, sliceBeta, out[p], 0, ldc);
                }
            });
            // every entry adds the partials in part order, whichever thread adds which entries
            Parallel.forEach((len + SUM_PIECE - 1) / SUM_PIECE, threads, piece -> {
                int from = piece * SUM_PIECE;
                int to = Math.min(len, from + SUM_PIECE);
                for (int p = 1; p < parts; p++) {
                    float[] q = out[p];
                    for (int i = from; i < to; i++) {
                        fC[i] += q[i];
                    }
                }
                writeBack(fC, keep, cd, from, to);
            });
            out[0] = null;
        } else {
            int parts = rowParts(m, n, k);
            Parallel.forEach(parts, threads, p -> {
                int r0 = rowStart(m, parts, p);
                int r1 = rowStart(m, parts, p + 1);
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

    /** The first row of block {@code p} of {@code parts} blocks of m rows. */
    private static int rowStart(int m, int parts, int p) {
        return (int) ((long) m * p / parts);
    }

    /** This thread's partial outputs for a product split along k into {@code parts}: c's own first, then buffers of {@code len}. */
    private float[][] partials(int parts, int len, float[] c) {
        float[][] out = partials.get();
        out[0] = c;
        for (int p = 1; p < parts; p++) {
            if (out[p] == null || out[p].length < len) {
                out[p] = new float[len];
            }
        }
        return out;
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
