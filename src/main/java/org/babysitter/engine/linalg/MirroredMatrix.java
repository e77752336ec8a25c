package org.babysitter.engine.linalg;

import org.ejml.data.DMatrixRMaj;

/**
 * An EJML matrix that can also carry a single-precision copy of its values, for backends that compute in
 * float ({@link BlasGemm.Precision#FLOAT}): the writers that touch every entry anyway (the update rules for
 * weights, the preprocessor for input batches) write the float copy in the same pass, and such a backend then
 * skips converting the matrix at every product.
 * <p>
 * The copy is used only while {@link #mirrorValid()}; whoever changes {@code data} any other way calls
 * {@link #invalidateMirror()} (reshaping does it itself), and a stale copy is never read.
 */
public final class MirroredMatrix extends DMatrixRMaj {
    private float[] mirror = new float[0];
    private boolean valid;

    public MirroredMatrix(int rows, int cols) {
        super(rows, cols);
    }

    /** The float copy's storage, at least as long as the matrix; write it, then {@link #markMirrorValid()}. */
    public float[] mirror() {
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
    }

    public void invalidateMirror() {
        valid = false;
    }

    @Override
    public void reshape(int numRows, int numCols, boolean saveValues) {
        valid = false;
        super.reshape(numRows, numCols, saveValues);
    }

    /** The float copy of {@code m} if it has a valid one, else null. */
    public static float[] validMirror(DMatrixRMaj m) {
        return m instanceof MirroredMatrix mm && mm.valid ? mm.mirror : null;
    }

    /** The float copy's storage of {@code m} if it is a mirrored matrix (valid or not), else null. */
    public static float[] mirrorOf(DMatrixRMaj m) {
        return m instanceof MirroredMatrix mm ? mm.mirror() : null;
    }

    /** Marks {@code m}'s float copy valid if it has one. */
    public static void validate(DMatrixRMaj m) {
        if (m instanceof MirroredMatrix mm) {
            mm.valid = true;
        }
    }

    /** Marks {@code m}'s float copy stale if it has one. */
    public static void invalidate(DMatrixRMaj m) {
        if (m instanceof MirroredMatrix mm) {
            mm.valid = false;
        }
    }
}
