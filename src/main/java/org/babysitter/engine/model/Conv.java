package org.babysitter.engine.model;

import java.util.Arrays;
import java.util.List;

import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.linalg.MirroredMatrix;
import org.ejml.data.DMatrixRMaj;

/**
 * Convolution of {@code F} filters of {@code k x k x C} over an input volume, with stride and zero padding:
 * {@code out[f, y, x] = b[f] + sum_{c,i,j} w[c,i,j; f] * in[c, y*s - p + i, x*s - p + j]}.
 * <p>
 * As one matrix product through the GEMM seam (im2col): every output position of every example becomes a row of
 * {@code cols} [N*P x K], its receptive field laid out as {@code (c, i, j)} (K = C*k*k, P positions per example),
 * so that {@code pos = cols W} [N*P x F] with the weights {@code W} [K x F], the shape of an affine layer's. Backward
 * is the affine layer's on those rows: {@code dW = cols^T dpos}, {@code db = sum(dpos)}, {@code dcols = dpos W^T},
 * and col2im adds each {@code dcols} entry back to the input value it was copied from.
 */
public final class Conv implements Layer {
    private final Param w;
    private final Param b;
    private final Volume in;
    private final Volume out;
    private final int kernel;
    private final int stride;
    private final int pad;
    private final Gemm gemm;
    /** The bias when there is none. */
    private final double[] zeros;
    /** Where each entry of an example's im2col rows comes from ({@link #sources}). */
    private final int[] source;

    /**
     * Filters {@code w} [C*k*k x F] and bias {@code b} [1 x F] (null: none, before batch norm) over {@code in}. The filters must tile the padded input exactly ((H + 2p - k) divisible by the stride).
     */
    public Conv(Param w, Param b, Volume in, int kernel, int stride, int pad, Gemm gemm) {
        if (kernel < 1 || stride < 1 || pad < 0) {
            throw new IllegalArgumentException("conv kernel and stride must be >= 1 and pad >= 0: " + kernel + ", " + stride + ", " + pad);
        }
        if (w.rows() != in.channels() * kernel * kernel) {
            throw new IllegalArgumentException("conv weights " + w + " do not fit " + kernel + "x" + kernel + " filters over " + in);
        }
        if (b != null && (b.rows() != 1 || b.cols() != w.cols())) {
            throw new IllegalArgumentException("bias " + b + " does not fit weights " + w);
        }
        this.out = new Volume(w.cols(), outSize(in.height(), kernel, stride, pad), outSize(in.width(), kernel, stride, pad));
        this.w = w;
        this.b = b;
        this.in = in;
        this.kernel = kernel;
        this.stride = stride;
        this.pad = pad;
        this.gemm = gemm;
        this.zeros = new double[w.cols()];
        this.source = sources();
    }

    /** The output length along a side of {@code size}; a clear error if the filters do not tile it. */
    public static int outSize(int size, int kernel, int stride, int pad) {
        int span = size + 2 * pad - kernel;
        if (span < 0 || span % stride != 0) {
            throw new IllegalArgumentException("a " + kernel + "x" + kernel + " filter with stride " + stride + " and pad " + pad
                    + " does not tile a side of " + size + " (size + 2 pad - kernel must be a non-negative multiple of the stride)");
        }
        return span / stride + 1;
    }

    /** Cache: the input's im2col rows, the products per position, the output and the gradients. */
    static final class Cache extends Layer.Cache {
        /** The im2col rows; for a single-precision backend kept in their float copy only (no conversion per product). */
        final MirroredMatrix cols;
        final DMatrixRMaj pos = new DMatrixRMaj(1, 1);
        final DMatrixRMaj out = new DMatrixRMaj(1, 1);
        final DMatrixRMaj dpos = new DMatrixRMaj(1, 1);
        final DMatrixRMaj dcols = new DMatrixRMaj(1, 1);
        final DMatrixRMaj dx = new DMatrixRMaj(1, 1);

        Cache(boolean floatCols) {
            cols = MirroredMatrix.of(1, 1, floatCols);
        }
    }

    @Override
    public Layer.Cache newCache() {
        return new Cache(gemm.readsFloatCopies());
    }

    @Override
    public List<Param> params() {
        return b == null ? List.of(w) : List.of(w, b);
    }

    public Volume input() {
        return in;
    }

    public Volume output() {
        return out;
    }

    public int kernel() {
        return kernel;
    }

    public Param weights() {
        return w;
    }

    @Override
    public DMatrixRMaj forward(DMatrixRMaj x, Mode mode, Layer.Cache c) {
        Cache cache = (Cache) c;
        if (x.numCols != in.size()) {
            throw new IllegalArgumentException(describe() + " got rows of " + x.numCols + " values, not " + in.size());
        }
        // an input batch for a single-precision product may hold its values in its float copy only: im2col reads data
        MirroredMatrix.ensureData(x);
        int n = x.numRows;
        int p = out.area();
        int k = w.rows();
        int f = out.channels();
        cache.cols.reshape(n * p, k, false);
        if (cache.cols.floatFirst()) {
            im2col(x.data, n, cache.cols.mirror());
            cache.cols.markFloatOnly();
        } else {
            im2col(x.data, n, cache.cols.data);
        }
        cache.pos.reshape(n * p, f, false);
        gemm.mult(cache.cols, w.forProduct(), cache.pos);
        // positions x filters -> each example's filters x positions, plus the bias
        cache.out.reshape(n, f * p, false);
        double[] o = cache.out.data;
        double[] ps = cache.pos.data;
        double[] bias = b == null ? zeros : b.value().data;
        for (int e = 0; e < n; e++) {
            for (int q = 0; q < p; q++) {
                int row = (e * p + q) * f;
                for (int j = 0; j < f; j++) {
                    o[e * f * p + j * p + q] = ps[row + j] + bias[j];
                }
            }
        }
        return cache.out;
    }

    /** Fills cols [n*P x K] with each output position's receptive field, zero where it lies in the padding. */
    private void im2col(double[] x, int n, double[] cols) {
        int per = source.length;
        for (int e = 0; e < n; e++) {
            int base = e * in.size();
            int row = e * per;
            for (int j = 0; j < per; j++) {
                int from = source[j];
                cols[row + j] = from < 0 ? 0 : x[base + from];
            }
        }
    }

    /** {@link #im2col(double[], int, double[])} into a float copy, for the single-precision products that read it. */
    private void im2col(double[] x, int n, float[] cols) {
        int per = source.length;
        for (int e = 0; e < n; e++) {
            int base = e * in.size();
            int row = e * per;
            for (int j = 0; j < per; j++) {
                int from = source[j];
                cols[row + j] = from < 0 ? 0 : (float) x[base + from];
            }
        }
    }

    @Override
    public DMatrixRMaj backward(DMatrixRMaj dout, Layer.Cache c) {
        Cache cache = (Cache) c;
        int n = dout.numRows;
        int p = out.area();
        int f = out.channels();
        cache.dpos.reshape(n * p, f, false);
        double[] dp = cache.dpos.data;
        double[] d = dout.data;
        double[] db = b == null ? null : b.grad().data;
        if (db != null) {
            Arrays.fill(db, 0);
        }
        for (int e = 0; e < n; e++) {
            for (int j = 0; j < f; j++) {
                int from = e * f * p + j * p;
                for (int q = 0; q < p; q++) {
                    double v = d[from + q];
                    dp[(e * p + q) * f + j] = v;
                }
                if (db != null) {
                    for (int q = 0; q < p; q++) {
                        db[j] += d[from + q];
                    }
                }
            }
        }
        gemm.multTransA(cache.cols, cache.dpos, w.gradForProduct()); // dW = cols^T dpos
        if (!cache.inputGradient()) {
            return null;
        }
        gemm.multTransB(cache.dpos, w.forProduct(), cache.dcols); // dcols = dpos W^T
        cache.dx.reshape(n, in.size(), false);
        col2im(cache.dcols.data, n, cache.dx.data);
        return cache.dx;
    }

    /** dx = the sum, for every input value, of the dcols entries it was copied to by im2col. */
    private void col2im(double[] dcols, int n, double[] dx) {
        Arrays.fill(dx, 0, n * in.size(), 0);
        int per = source.length;
        for (int e = 0; e < n; e++) {
            int base = e * in.size();
            int row = e * per;
            for (int j = 0; j < per; j++) {
                int from = source[j];
                if (from >= 0) {
                    dx[base + from] += dcols[row + j];
                }
            }
        }
    }

    /**
     * For one example, where each entry of its im2col rows comes from: entry (position q, field index (c, i, j)) at
     * {@code q * K + (c * k + i) * k + j} is input value {@code c * H * W + (y s - p + i) * W + (x s - p + j)} of the
     * position's (y, x), or -1 where that lies in the padding. Fixed by the shapes, so made once.
     */
    private int[] sources() {
        int k = in.channels() * kernel * kernel;
        int[] map = new int[out.area() * k];
        int t = 0;
        for (int oy = 0; oy < out.height(); oy++) {
            for (int ox = 0; ox < out.width(); ox++) {
                for (int ch = 0; ch < in.channels(); ch++) {
                    for (int i = 0; i < kernel; i++) {
                        int iy = oy * stride - pad + i;
                        for (int j = 0; j < kernel; j++) {
                            int ix = ox * stride - pad + j;
                            boolean inside = iy >= 0 && iy < in.height() && ix >= 0 && ix < in.width();
                            map[t++] = inside ? ch * in.area() + iy * in.width() + ix : -1;
                        }
                    }
                }
            }
        }
        return map;
    }

    @Override
    public String describe() {
        return "conv " + kernel + "x" + kernel + "x" + out.channels() + (stride == 1 ? "" : " stride " + stride)
                + (pad == 0 ? "" : " pad " + pad) + ": " + in + " -> " + out;
    }
}
