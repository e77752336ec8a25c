package org.babysitter.engine.model;

import java.util.List;

import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.linalg.MirroredMatrix;
import org.ejml.data.DMatrixRMaj;

/**
 * Fully connected layer: {@code out = x W + b}; backward {@code dx = dout W^T, dW = x^T dout, db = sum_rows(dout)}.
 * Before batch norm the bias is left out: batch norm subtracts every per-feature shift again (its gradient is
 * identically zero) and its own beta does the bias's job.
 */
public final class Affine implements Layer {
    private final Param w;
    private final Param b;
    private final Gemm gemm;

    /** An affine layer with a bias. */
    public Affine(String suffix, DMatrixRMaj weights, Gemm gemm) {
        this(suffix, weights, true, gemm);
    }

    public Affine(String suffix, DMatrixRMaj weights, boolean withBias, Gemm gemm) {
        // weights made float-first for a single-precision backend are kept and stepped in float (see Param)
        boolean inFloat = gemm.readsFloatCopies() && weights instanceof MirroredMatrix mm && mm.floatFirst();
        this.w = new Param("W" + suffix, weights, true, inFloat);
        this.b = withBias ? new Param("b" + suffix, new DMatrixRMaj(1, weights.numCols), false) : null;
        this.gemm = gemm;
    }

    /** Cache of an affine layer; {@code inputGradient = false} skips dx (the first layer never needs it). */
    public static final class Cache implements Layer.Cache {
        DMatrixRMaj x;
        final DMatrixRMaj out = new DMatrixRMaj(1, 1);
        final DMatrixRMaj dx = new DMatrixRMaj(1, 1);
        boolean inputGradient = true;

        public void setInputGradient(boolean wanted) {
            this.inputGradient = wanted;
        }
    }

    @Override
    public Cache newCache() {
        return new Cache();
    }

    public Param weights() {
        return w;
    }

    /** The bias, or null when the layer has none. */
    public Param bias() {
        return b;
    }

    @Override
    public List<Param> params() {
        return b == null ? List.of(w) : List.of(w, b);
    }

    @Override
    public DMatrixRMaj forward(DMatrixRMaj x, Mode mode, Layer.Cache c) {
        Cache cache = (Cache) c;
        cache.x = x;
        DMatrixRMaj out = cache.out;
        out.reshape(x.numRows, w.valueBuffer().numCols, false);
        if (b == null) {
            gemm.gemm(false, false, 1, x, w.valueBuffer(), 0, out);
            return out;
        }
        double[] o = out.data;
        double[] bias = b.value().data;
        int h = out.numCols;
        for (int i = 0; i < x.numRows; i++) {
            System.arraycopy(bias, 0, o, i * h, h);
        }
        gemm.gemm(false, false, 1, x, w.valueBuffer(), 1, out);
        return out;
    }

    @Override
    public DMatrixRMaj backward(DMatrixRMaj dout, Layer.Cache c) {
        Cache cache = (Cache) c;
        gemm.gemm(true, false, 1, cache.x, dout, 0, w.gradBuffer());
        if (b != null) {
            double[] db = b.grad().data;
            java.util.Arrays.fill(db, 0);
            int h = dout.numCols;
            double[] d = dout.data;
            for (int i = 0; i < dout.numRows; i++) {
                int row = i * h;
                for (int j = 0; j < h; j++) {
                    db[j] += d[row + j];
                }
            }
        }
        if (!cache.inputGradient) {
            return null;
        }
        cache.dx.reshape(dout.numRows, w.valueBuffer().numRows, false);
        gemm.gemm(false, true, 1, dout, w.valueBuffer(), 0, cache.dx);
        return cache.dx;
    }

    @Override
    public String describe() {
        return "affine " + w.valueBuffer().numRows + " -> " + w.valueBuffer().numCols;
    }
}
