package org.babysitter.engine.linalg;

import org.ejml.data.DMatrixRMaj;

/**
 * An EJML matrix that can also carry a single-precision copy of its values, for backends that compute in
 * float ({@link BlasGemm.Precision#FLOAT}): the writers that touch every entry anyway (the update rules for
 * weights, the preprocessor for input batches) write the float copy in the same pass, and such a backend then
 * skips converting the matrix at every product.
 * <p>
 * The copy is used only while {@link #mirrorValid()}; whoever changes {@code data} any other way calls
 * {@link #invalidateMirror()} afterwards (reshaping does it itself), and a stale copy is never read.
 * <p>
 * A matrix made {@link #floatFirst} (an input batch, a weight or its gradient, when the products read float
 * copies) may hold its values in the float copy only: a writer that supports it (the preprocessor, a product, an
 * update rule) then skips {@code data} altogether, and marks it {@link #dataStale()}. Every {@link Gemm} that reads {@code data} first calls {@link #ensureData} (the
 * double backends through {@link #beforeDoubleProduct}), which fills it from the float copy, so no backend ever
 * reads a stale {@code data}.
 */
public final class MirroredMatrix extends DMatrixRMaj {
    private float[] mirror = new float[0];
    private boolean valid;
    /**
     * Values held in native memory by the layer that computed them (a oneDNN pass's output in its own layout), for the
     * next layer of the same library to take as they are; the float copy is filled from them on first read.
     */
    private NativeValues nativeValues;
    private boolean settled;

    /** Values in native memory that can be copied into a float copy (in the matrix's own layout). */
    public interface NativeValues {
        /** Writes the values, row after row, into {@code into[0..count)}. */
        void copyTo(float[] into, int count);
    }
    private final boolean floatFirst;
    private boolean dataStale;

    /** {@code data} is allocated only when something asks for it ({@link #ensureData}): see {@link #floatOnly}. */
    private final boolean lazyData;

    private MirroredMatrix(int rows, int cols, boolean floatFirst) {
        super(rows, cols);
        this.floatFirst = floatFirst;
        this.lazyData = false;
    }

    private MirroredMatrix(int rows, int cols) {
        super(0, 0);
        this.floatFirst = true;
        this.lazyData = true;
        this.numRows = rows;
        this.numCols = cols;
    }

    /**
     * A float-first matrix for a layer's own buffers around single-precision products (a convolution's columns),
     * whose writers and readers use the float copy only: its {@code data} is not even allocated (a convolution's
     * columns would take twice their float size in doubles never written) until {@link #ensureData} asks for it.
     */
    public static MirroredMatrix floatOnly(int rows, int cols) {
        return new MirroredMatrix(rows, cols);
    }

    /**
     * A matrix whose writers may keep the values in the float copy only ({@code floatFirst}: an input batch or a
     * weight gradient, for a backend that {@link Gemm#readsFloatCopies() reads float copies}), or an ordinary one.
     */
    public static MirroredMatrix of(int rows, int cols, boolean floatFirst) {
        return new MirroredMatrix(rows, cols, floatFirst);
    }

    /** True if writers may keep the values in the float copy only. */
    public boolean floatFirst() {
        return floatFirst;
    }

    /** True while {@code data} does not hold the values (the float copy does). */
    public boolean dataStale() {
        return dataStale;
    }

    /** The float copy now holds the values and {@code data} does not. */
    public void markFloatOnly() {
        valid = true;
        dataStale = true;
        nativeValues = null;
    }

    /**
     * The values are {@code values}, in native memory: the float copy (and {@code data}) are filled from them when first
     * read, so a reader that takes {@link #nativeOf native values} copies nothing. The caller keeps them unchanged until
     * the matrix is next written.
     */
    public void markNative(NativeValues values) {
        valid = true;
        dataStale = true;
        nativeValues = values;
        settled = false;
    }

    /** The native values {@code m} holds (see {@link #markNative}), or null. */
    public static NativeValues nativeOf(DMatrixRMaj m) {
        return m instanceof MirroredMatrix mm ? mm.nativeValues : null;
    }

    /** Fills the float copy from the native values, once, before anything reads it. */
    private void settle() {
        if (nativeValues != null && !settled) {
            int n = getNumElements();
            if (mirror.length < n) {
                mirror = new float[n];
            }
            nativeValues.copyTo(mirror, n);
            settled = true;
        }
    }

    /** Makes {@code m.data} hold the values again if only its float copy did. */
    public static void ensureData(DMatrixRMaj m) {
        if (m instanceof MirroredMatrix mm) {
            mm.settle();
            int n = mm.getNumElements();
            if (mm.data.length < n) { // a lazily allocated data: zeros until written
                mm.data = new double[n];
            }
            if (mm.dataStale) {
                double[] d = mm.data;
                float[] f = mm.mirror;
                for (int i = 0; i < n; i++) {
                    d[i] = f[i];
                }
                mm.dataStale = false;
            }
        }
    }

    /** The first {@code n} entries of {@code d} into {@code f}, rounded to float. */
    public static void toFloat(double[] d, float[] f, int n) {
        for (int i = 0; i < n; i++) {
            f[i] = (float) d[i];
        }
    }

    /** Entries {@code [from, from + n)} of {@code d} into {@code f[0..n)}, rounded to float. */
    public static void toFloat(double[] d, int from, float[] f, int n) {
        for (int i = 0; i < n; i++) {
            f[i] = (float) d[from + i];
        }
    }

    /** The float copy's storage, at least as long as the matrix; write it, then {@link #markMirrorValid()}. */
    public float[] mirror() {
        settle();
        int n = getNumElements();
        if (mirror.length < n) {
            mirror = new float[n];
        }
        return mirror;
    }

    public boolean mirrorValid() {
        return valid;
    }

    public void markMirrorValid() {
        valid = true;
        nativeValues = null;
    }

    /** {@code data} holds the values (just written by the caller); the float copy is stale. */
    public void invalidateMirror() {
        valid = false;
        dataStale = false;
        nativeValues = null;
    }

    @Override
    public void reshape(int numRows, int numCols, boolean saveValues) {
        if (saveValues) {
            ensureData(this);
        }
        valid = false;
        dataStale = false;
        nativeValues = null;
        if (lazyData && !saveValues) {
            this.numRows = numRows;
            this.numCols = numCols;
            return;
        }
        super.reshape(numRows, numCols, saveValues);
    }

    /** The float copy of {@code m} if it has a valid one, else null. */
    public static float[] validMirror(DMatrixRMaj m) {
        if (m instanceof MirroredMatrix mm && mm.valid) {
            mm.settle();
            return mm.mirror;
        }
        return null;
    }

    /**
     * The float copy of {@code m} when it alone holds the values (a float-only matrix: {@code data} is stale), else
     * null: a layer that reads such a matrix in float this way converts nothing.
     */
    public static float[] onlyInFloat(DMatrixRMaj m) {
        if (m instanceof MirroredMatrix mm && mm.dataStale) {
            mm.settle();
            return mm.mirror;
        }
        return null;
    }

    /** The float copy's storage of {@code m} if it is a mirrored matrix (valid or not), else null. */
    public static float[] mirrorOf(DMatrixRMaj m) {
        return m instanceof MirroredMatrix mm ? mm.mirror() : null;
    }

    /** Marks {@code m}'s float copy valid if it has one. */
    public static void validate(DMatrixRMaj m) {
        if (m instanceof MirroredMatrix mm) {
            mm.valid = true;
            mm.nativeValues = null;
        }
    }

    /** Marks {@code m}'s float copy stale if it has one: {@code data} was just written. */
    public static void invalidate(DMatrixRMaj m) {
        if (m instanceof MirroredMatrix mm) {
            mm.invalidateMirror();
        }
    }

    /**
     * What a product computed from {@code data} needs first: the operands' values in {@code data}, and {@code c}'s
     * too when {@code beta} reads it; {@code c}'s float copy is then stale, as the product rewrites {@code data}.
     */
    static void beforeDoubleProduct(DMatrixRMaj a, DMatrixRMaj b, double beta, DMatrixRMaj c) {
        ensureData(a);
        ensureData(b);
        if (beta != 0) {
            ensureData(c);
        }
        invalidate(c);
    }

    /** {@code m.data} was just written in full (its float copy too, if {@code m} has one and it is valid). */
    static void dataWritten(DMatrixRMaj m) {
        if (m instanceof MirroredMatrix mm) {
            mm.dataStale = false;
            mm.nativeValues = null;
        }
    }
}
