package org.babysitter.engine.model;

import java.util.BitSet;

import org.babysitter.engine.linalg.MirroredMatrix;
import org.babysitter.engine.linalg.OneDnnPool;
import org.babysitter.engine.linalg.OneDnnTensor;
import org.babysitter.engine.linalg.Parallel;
import org.ejml.data.DMatrixRMaj;

/**
 * Max pooling over {@code size x size} windows moved by {@code stride}, channel by channel: each output is the
 * largest input of its window; backward sends each output's gradient to that input alone (ties: the first in the
 * window, row by row).
 */
public final class MaxPool implements Layer {
    private final Volume in;
    private final Volume out;
    private final int size;
    private final int stride;
    /** Threads the examples of a batch are shared between (each example's windows are its own). */
    private final int threads;

    public MaxPool(Volume in, int size, int stride) {
        this(in, size, stride, 1);
    }

    /** Pooling whose passes share a batch's examples between up to {@code threads} threads. */
    public MaxPool(Volume in, int size, int stride, int threads) {
        if (size < 1 || stride < 1) {
            throw new IllegalArgumentException("pool size and stride must be >= 1: " + size + ", " + stride);
        }
        this.in = in;
        this.size = size;
        this.stride = stride;
        this.threads = Math.max(1, threads);
        this.out = new Volume(in.channels(), Conv.outSize(in.height(), size, stride, 0), Conv.outSize(in.width(), size, stride, 0));
    }

    /**
     * Cache: for each output, the index of the input it took; the output and input gradient, in float ({@link
     * #inFloat}) when the input was held in its float copy only.
     */
    static final class Cache extends Layer.Cache {
        int[] argmax = new int[0];
        int rows;
        boolean inFloat;
        final DMatrixRMaj out = new DMatrixRMaj(1, 1);
        final DMatrixRMaj dx = new DMatrixRMaj(1, 1);
        final MirroredMatrix outF = MirroredMatrix.floatOnly(1, 1);
        final MirroredMatrix dxF = MirroredMatrix.floatOnly(1, 1);
        /** oneDNN's passes, once tried (null: not available); whether the last forward pass went through them. */
        OneDnnPool direct;
        boolean directTried;
        boolean nativePass;
        final Rounded rounded = new Rounded();
    }

    @Override
    public Layer.Cache newCache() {
        return new Cache();
    }

    public Volume input() {
        return in;
    }

    public Volume output() {
        return out;
    }

    @Override
    public DMatrixRMaj forward(DMatrixRMaj x, Mode mode, Layer.Cache c) {
        Cache cache = (Cache) c;
        if (x.numCols != in.size()) {
            throw new IllegalArgumentException(describe() + " got rows of " + x.numCols + " values, not " + in.size());
        }
        int n = x.numRows;
        cache.rows = n;
        OneDnnTensor xt = MirroredMatrix.nativeOf(x) instanceof OneDnnTensor t ? t : null;
        OneDnnPool pool = xt == null ? null : direct(cache);
        cache.nativePass = pool != null;
        if (pool != null) { // a oneDNN pass's output, in its layout: pooled by oneDNN, the result left there too
            OneDnnTensor y = pool.forward(xt, n);
            cache.inFloat = true;
            cache.outF.reshape(n, out.size(), false);
            cache.outF.markNative(y);
            return cache.outF;
        }
        if (cache.argmax.length < n * out.size()) {
            cache.argmax = new int[n * out.size()];
        }
        float[] xf = size == 2 && stride == 2 ? MirroredMatrix.onlyInFloat(x) : null;
        cache.inFloat = xf != null;
        if (cache.inFloat) { // a single-precision conv net's activations: read and written in float
            cache.outF.reshape(n, out.size(), false);
            float[] of = cache.outF.mirror();
            Parallel.forEach(n, threads, e -> pool2x2(xf, e, of, cache.argmax));
            cache.outF.markFloatOnly();
            return cache.outF;
        }
        MirroredMatrix.ensureData(x);
        cache.out.reshape(n, out.size(), false);
        double[] xd = x.data;
        double[] o = cache.out.data;
        int[] arg = cache.argmax;
        int inW = in.width();
        Parallel.forEach(n, threads, e -> {
            if (size == 2 && stride == 2) {
                pool2x2(xd, e, o, arg);
                return;
            }
            int o2 = e * out.size();
            for (int ch = 0; ch < in.channels(); ch++) {
                int plane = e * in.size() + ch * in.area();
                for (int oy = 0; oy < out.height(); oy++) {
                    for (int ox = 0; ox < out.width(); ox++, o2++) {
                        int best = plane + oy * stride * inW + ox * stride;
                        for (int i = 0; i < size; i++) {
                            int r = plane + (oy * stride + i) * inW + ox * stride;
                            for (int j = 0; j < size; j++) {
                                if (xd[r + j] > xd[best]) {
                                    best = r + j;
                                }
                            }
                        }
                        o[o2] = xd[best];
                        arg[o2] = best;
                    }
                }
            }
        });
        return cache.out;
    }

    /** oneDNN's passes for this cache, made on first use; null where oneDNN is not available. */
    private OneDnnPool direct(Cache cache) {
        if (!cache.directTried) {
            cache.directTried = true;
            cache.direct = OneDnnPool.create(in.channels(), out.height(), out.width(), size, stride).orElse(null);
        }
        return cache.direct;
    }

    /**
     * Example e's 2 x 2 windows (stride 2), the common case, compared in pairs: the larger of each row's pair, then
     * the larger row; ties go to the first, as in the general loop. Fewer data-dependent branches, which the CPU
     * mispredicts about half the time on such comparisons.
     */
    private void pool2x2(double[] x, int e, double[] o, int[] arg) {
        int w = in.width();
        for (int ch = 0, o2 = e * out.size(); ch < in.channels(); ch++) {
            int plane = e * in.size() + ch * in.area();
            for (int oy = 0; oy < out.height(); oy++) {
                int row = plane + 2 * oy * w;
                for (int ox = 0; ox < out.width(); ox++, o2++) {
                    int p = row + 2 * ox;
                    int top = x[p + 1] > x[p] ? p + 1 : p;
                    int bottom = x[p + w + 1] > x[p + w] ? p + w + 1 : p + w;
                    int best = Math.max(x[p + w], x[p + w + 1]) > Math.max(x[p], x[p + 1]) ? bottom : top;
                    o[o2] = x[best];
                    arg[o2] = best;
                }
            }
        }
    }

    /**
     * {@link #pool2x2(double[], int, double[], int[])} in float, without a branch at all: which of two values is
     * larger is the sign of their difference ({@link #above}).
     */
    private void pool2x2(float[] x, int e, float[] o, int[] arg) {
        int w = in.width();
        for (int ch = 0, o2 = e * out.size(); ch < in.channels(); ch++) {
            int plane = e * in.size() + ch * in.area();
            for (int oy = 0; oy < out.height(); oy++) {
                int row = plane + 2 * oy * w;
                for (int ox = 0; ox < out.width(); ox++, o2++) {
                    int p = row + 2 * ox;
                    int top = p + above(x[p + 1], x[p]);
                    int bottom = p + w + above(x[p + w + 1], x[p + w]);
                    int best = top + ((bottom - top) & -above(x[bottom], x[top]));
                    o[o2] = x[best];
                    arg[o2] = best;
                }
            }
        }
    }

    /**
     * 1 if {@code a > b}, else 0, without a branch: the sign bit of {@code b - a}, a difference that is +0 when the
     * two are equal (ties go to b, the first of the window, as in the general loop).
     */
    static int above(float a, float b) {
        return Float.floatToRawIntBits(b - a) >>> 31;
    }

    @Override
    public boolean readsFloatOnly() {
        return true;
    }

    @Override
    public DMatrixRMaj backward(DMatrixRMaj dout, Layer.Cache c) {
        Cache cache = (Cache) c;
        if (!cache.inputGradient()) {
            return null;
        }
        int n = cache.rows;
        if (cache.nativePass) {
            OneDnnTensor dt = MirroredMatrix.nativeOf(dout) instanceof OneDnnTensor t ? t : null;
            float[] d = dt != null ? null : cache.rounded.of(dout, MirroredMatrix.onlyInFloat(dout));
            OneDnnTensor dx = cache.direct.backward(d, dt, n);
            cache.dxF.reshape(n, in.size(), false);
            cache.dxF.markNative(dx);
            return cache.dxF;
        }
        int[] arg = cache.argmax;
        if (cache.inFloat) {
            cache.dxF.reshape(n, in.size(), false);
            float[] dx = cache.dxF.mirror();
            float[] df = MirroredMatrix.onlyInFloat(dout);
            if (df == null) {
                MirroredMatrix.ensureData(dout);
            }
            double[] dd = dout.data;
            Parallel.forEach(n, threads, e -> {
                // 2x2 windows moved by 2 do not overlap: each input takes at most one output's gradient
                java.util.Arrays.fill(dx, e * in.size(), (e + 1) * in.size(), 0);
                if (df != null) {
                    for (int i = e * out.size(), end = i + out.size(); i < end; i++) {
                        dx[arg[i]] = df[i];
                    }
                } else {
                    for (int i = e * out.size(), end = i + out.size(); i < end; i++) {
                        dx[arg[i]] = (float) dd[i];
                    }
                }
            });
            cache.dxF.markFloatOnly();
            return cache.dxF;
        }
        MirroredMatrix.ensureData(dout);
        cache.dx.reshape(n, in.size(), false);
        double[] dx = cache.dx.data;
        double[] d = dout.data;
        Parallel.forEach(n, threads, e -> {
            // an example's outputs took inputs of that example only
            java.util.Arrays.fill(dx, e * in.size(), (e + 1) * in.size(), 0);
            for (int i = e * out.size(), end = i + out.size(); i < end; i++) {
                dx[arg[i]] += d[i];
            }
        });
        return cache.dx;
    }

    /** The inputs that were the maximum of their window: a gradient check's x+h and x-h must pick the same ones. */
    @Override
    public BitSet kinkSides(Layer.Cache c) {
        Cache cache = (Cache) c;
        BitSet chosen = new BitSet(cache.rows * in.size());
        for (int i = 0; i < cache.rows * out.size(); i++) {
            chosen.set(cache.argmax[i]);
        }
        return chosen;
    }

    @Override
    public String describe() {
        return "max pool " + size + "x" + size + (stride == size ? "" : " stride " + stride) + ": " + in + " -> " + out;
    }
}
