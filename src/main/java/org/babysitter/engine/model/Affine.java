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

    /** A layer over weights {@code w} [in x out] and bias {@code b} [1 x out], or none when {@code b} is null. */
    public Affine(Param w, Param b, Gemm gemm) {
        if (b != null && (b.rows() != 1 || b.cols() != w.cols())) {
            throw new IllegalArgumentException("bias " + b + " does not fit weights " + w);
        }
        this.w = w;
        this.b = b;
        this.gemm = gemm;
    }

    /** Cache of an affine layer: the input, output and input gradient. */
    static final class Cache extends Layer.Cache {
        DMatrixRMaj x;
        final DMatrixRMaj out = new DMatrixRMaj(1, 1);
        final DMatrixRMaj dx = new DMatrixRMaj(1, 1);
    }

    @Override
    public Layer.Cache newCache() {
        return new Cache();
    }

    public int inputs() {
        return w.rows();
    }

    public int outputs() {
        return w.cols();
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
        out.reshape(x.numRows, outputs(), false);
        if (b == null) {
            gemm.mult(x, w.forProduct(), out);
            return out;
        }
        double[] o = out.data;
        double[] bias = b.value().data;
        int h = out.numCols;
        for (int i = 0; i < x.numRows; i++) {
            System.arraycopy(bias, 0, o, i * h, h);
        }
        gemm.gemm(false, false, 1, x, w.forProduct(), 1, out); // out = b + x W
        return out;
    }

    @Override
    public DMatrixRMaj backward(DMatrixRMaj dout, Layer.Cache c) {
        Cache cache = (Cache) c;
        gemm.multTransA(cache.x, dout, w.gradForProduct()); // dW = x^T dout
        if (b != null) {
            MirroredMatrix.ensureData(dout);
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
        if (!cache.inputGradient()) {
            return null;
        }
        gemm.multTransB(dout, w.forProduct(), cache.dx); // dx = dout W^T
        return cache.dx;
    }

    /**
     * True: the input and dout reach the products as they are (a single-precision backend reads a float-only input
     * batch from its float copy), and the bias gradient fills dout's doubles itself. Filling the input's doubles for
     * nothing cost a pass over the whole batch (3,072 values an image) every forward pass.
     */
    @Override
    public boolean readsFloatOnly() {
        return true;
    }

    @Override
    public String describe() {
        return "affine " + inputs() + " -> " + outputs();
    }
}
