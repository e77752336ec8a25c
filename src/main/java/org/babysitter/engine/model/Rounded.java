package org.babysitter.engine.model;

import org.babysitter.engine.linalg.MirroredMatrix;
import org.ejml.data.DMatrixRMaj;

/** A layer cache's buffer for a matrix's values rounded to float, for a float pass given a matrix held in double. */
final class Rounded {
    private float[] buffer = new float[0];

    /** {@code m}'s values in float: {@code found} (its float copy) if not null, else rounded into this buffer. */
    float[] of(DMatrixRMaj m, float[] found) {
        if (found != null) {
            return found;
        }
        MirroredMatrix.ensureData(m);
        int size = m.getNumElements();
        if (buffer.length < size) {
            buffer = new float[size];
        }
        MirroredMatrix.toFloat(m.data, buffer, size);
        return buffer;
    }
}
