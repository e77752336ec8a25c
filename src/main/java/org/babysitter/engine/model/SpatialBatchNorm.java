package org.babysitter.engine.model;

import java.util.List;

import org.ejml.data.DMatrixRMaj;

/**
 * Batch normalization of a convolutional volume: one mean, variance, gamma and beta per channel, over every
 * example and position (N*H*W values per channel). It is {@link BatchNorm} on the volume laid out with one row per
 * example and position and one column per channel, and back (cs231n's spatial_batchnorm does the same transpose).
 */
public final class SpatialBatchNorm implements Layer {
    private final BatchNorm norm;
    private final Volume volume;

    public SpatialBatchNorm(String suffix, Volume volume) {
        this.norm = new BatchNorm(suffix, volume.channels());
        this.volume = volume;
    }

    /** Cache: the channels-as-columns copies both ways and the inner batch norm's cache. */
    static final class Cache extends Layer.Cache {
        final Layer.Cache inner;
        final DMatrixRMaj columns = new DMatrixRMaj(1, 1);
        final DMatrixRMaj out = new DMatrixRMaj(1, 1);
        final DMatrixRMaj dcolumns = new DMatrixRMaj(1, 1);
        final DMatrixRMaj dx = new DMatrixRMaj(1, 1);

        Cache(Layer.Cache inner) {
            this.inner = inner;
        }
    }

    @Override
    public Layer.Cache newCache() {
        return new Cache(norm.newCache());
    }

    @Override
    public List<Param> params() {
        return norm.params();
    }

    @Override
    public List<Buffer> buffers() {
        return norm.buffers();
    }

    public Volume volume() {
        return volume;
    }

    @Override
    public DMatrixRMaj forward(DMatrixRMaj x, Mode mode, Layer.Cache c) {
        Cache cache = (Cache) c;
        if (x.numCols != volume.size()) {
            throw new IllegalArgumentException(describe() + " got rows of " + x.numCols + " values, not " + volume.size());
        }
        toColumns(x, cache.columns);
        DMatrixRMaj y = norm.forward(cache.columns, mode, cache.inner);
        fromColumns(y, x.numRows, cache.out);
        return cache.out;
    }

    @Override
    public DMatrixRMaj backward(DMatrixRMaj dout, Layer.Cache c) {
        Cache cache = (Cache) c;
        toColumns(dout, cache.dcolumns);
        DMatrixRMaj d = norm.backward(cache.dcolumns, cache.inner);
        if (!cache.inputGradient()) {
            return null;
        }
        fromColumns(d, dout.numRows, cache.dx);
        return cache.dx;
    }

    /** [N x C*H*W] -> [N*H*W x C]. */
    private void toColumns(DMatrixRMaj x, DMatrixRMaj columns) {
        int n = x.numRows;
        int ch = volume.channels();
        int area = volume.area();
        columns.reshape(n * area, ch, false);
        double[] s = x.data;
        double[] t = columns.data;
        for (int e = 0; e < n; e++) {
            for (int c = 0; c < ch; c++) {
                int from = e * ch * area + c * area;
                for (int q = 0; q < area; q++) {
                    t[(e * area + q) * ch + c] = s[from + q];
                }
            }
        }
    }

    /** [N*H*W x C] -> [N x C*H*W]. */
    private void fromColumns(DMatrixRMaj columns, int n, DMatrixRMaj x) {
        int ch = volume.channels();
        int area = volume.area();
        x.reshape(n, ch * area, false);
        double[] s = columns.data;
        double[] t = x.data;
        for (int e = 0; e < n; e++) {
            for (int c = 0; c < ch; c++) {
                int to = e * ch * area + c * area;
                for (int q = 0; q < area; q++) {
                    t[to + q] = s[(e * area + q) * ch + c];
                }
            }
        }
    }

    @Override
    public String describe() {
        return "spatial batch norm " + volume;
    }
}
