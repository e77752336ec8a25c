package org.babysitter.engine.model;

import java.util.random.RandomGenerator;

import org.ejml.data.DMatrixRMaj;

/**
 * Inverted dropout: in {@link Mode#TRAIN} each unit is dropped with probability {@code p} and the kept
 * ones are scaled by {@code 1 / (1 - p)}, so {@link Mode#TEST} is the identity. A cache can freeze its
 * mask (gradient checks need the same mask for every evaluation).
 */
public final class Dropout implements Layer {
    private final double p;
    private final RandomGenerator random;

    /**
     * @param p      probability of dropping a unit, in [0, 1)
     * @param random source of the masks (seeded by the net, so runs are reproducible)
     */
    public Dropout(double p, RandomGenerator random) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        this.p = p;
        this.random = random;
    }

    /** Cache: the mask (0 or 1/(1-p) per entry), output and input gradient. */
    static final class Cache extends Layer.Cache {
        final DMatrixRMaj mask = new DMatrixRMaj(1, 1);
        final DMatrixRMaj out = new DMatrixRMaj(1, 1);
        final DMatrixRMaj dx = new DMatrixRMaj(1, 1);
        boolean frozen;
        boolean hasMask;
        Mode mode;

        /** Keeps the current mask for the following forward passes (same shape required). */
        @Override
        public void freezeRandomness(boolean frozen) {
            this.frozen = frozen;
        }
    }

    @Override
    public Layer.Cache newCache() {
        return new Cache();
    }

    public double p() {
        return p;
    }

    @Override
    public DMatrixRMaj forward(DMatrixRMaj x, Mode mode, Layer.Cache c) {
        Cache cache = (Cache) c;
        cache.mode = mode;
        int n = x.getNumElements();
        cache.out.reshape(x.numRows, x.numCols, false);
        if (mode == Mode.TEST) {
            System.arraycopy(x.data, 0, cache.out.data, 0, n);
            return cache.out;
        }
        boolean reuse = cache.frozen && cache.hasMask && cache.mask.numRows == x.numRows && cache.mask.numCols == x.numCols;
        if (!reuse) {
            cache.mask.reshape(x.numRows, x.numCols, false);
            double keep = 1 / (1 - p);
            double[] m = cache.mask.data;
            for (int i = 0; i < n; i++) {
                m[i] = random.nextDouble() >= p ? keep : 0;
            }
            cache.hasMask = true;
        }
        double[] m = cache.mask.data;
        double[] xd = x.data;
        double[] o = cache.out.data;
        for (int i = 0; i < n; i++) {
            o[i] = xd[i] * m[i];
        }
        return cache.out;
    }

    @Override
    public DMatrixRMaj backward(DMatrixRMaj dout, Layer.Cache c) {
        Cache cache = (Cache) c;
        int n = dout.getNumElements();
        cache.dx.reshape(dout.numRows, dout.numCols, false);
        if (cache.mode == Mode.TEST) {
            System.arraycopy(dout.data, 0, cache.dx.data, 0, n);
            return cache.dx;
        }
        double[] m = cache.mask.data;
        double[] d = dout.data;
        double[] dx = cache.dx.data;
        for (int i = 0; i < n; i++) {
            dx[i] = d[i] * m[i];
        }
        return cache.dx;
    }

    @Override
    public String describe() {
        return "dropout p=" + p;
    }
}
