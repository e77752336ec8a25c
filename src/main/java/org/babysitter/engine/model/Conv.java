package org.babysitter.engine.model;

import java.util.Arrays;
import java.util.List;

import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.linalg.MirroredMatrix;
import org.babysitter.engine.linalg.OneDnn;
import org.babysitter.engine.linalg.OneDnnConv;
import org.babysitter.engine.linalg.OneDnnTensor;
import org.babysitter.engine.linalg.Parallel;
import org.ejml.data.DMatrixRMaj;

/**
 * Convolution of {@code F} filters of {@code k x k x C} over an input volume, with stride and zero padding:
 * {@code out[f, y, x] = b[f] + sum_{c,i,j} w[c,i,j; f] * in[c, y*s - p + i, x*s - p + j]}.
 * <p>
 * Per example, as one matrix product through the GEMM seam (im2col): the example's receptive fields are the
 * columns of {@code cols} [K x P] (K = C*k*k rows laid out as {@code (c, i, j)}, P output positions), so that its
 * output, filters x positions, is {@code out = W^T cols} [F x P] with the weights {@code W} [K x F], the shape of an
 * affine layer's. Backward is the affine layer's on those columns: {@code dW = sum over examples of cols dout^T},
 * {@code db = sum(dout)}, {@code dcols = W dout}, and col2im adds each {@code dcols} entry back to the input value it
 * was copied from.
 * <p>
 * Example by example rather than one product for the batch: an example's columns are written, multiplied and read
 * back while they are in cache, its output is already in the layer's layout (no transpose), and the examples are
 * shared between the product's threads. The sum over examples of dW is taken in {@link #parts} fixed by the batch
 * size, added in part order, so the bits do not depend on the number of threads.
 * <p>
 * On a single-precision backend the three passes go to {@link OneDnnConv oneDNN}'s direct convolution instead where
 * it loads (the same formulas; its kernels are several times faster than im2col and products on these small
 * filter counts): see {@link #direct}.
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
    /** For filter column j: the output columns whose input column lies inside the image, {@code [xLo[j], xHi[j])}. */
    private final int[] xLo;
    private final int[] xHi;
    /** Stride 1 and as much padding as the filter overhangs: output rows are input rows, see {@link #im2colShifted}. */
    private final boolean sameSize;
    /** Whether a single-precision cache tries oneDNN for its passes ({@link #direct}). */
    private final boolean useDirect;

    /**
     * Filters {@code w} [C*k*k x F] and bias {@code b} [1 x F] (null: none, before batch norm) over {@code in}. The filters must tile the padded input exactly ((H + 2p - k) divisible by the stride).
     */
    public Conv(Param w, Param b, Volume in, int kernel, int stride, int pad, Gemm gemm) {
        this(w, b, in, kernel, stride, pad, gemm, OneDnn.wanted());
    }

    /** As above; {@code useDirect} false keeps a single-precision conv on im2col and the GEMM seam (for comparisons). */
    Conv(Param w, Param b, Volume in, int kernel, int stride, int pad, Gemm gemm, boolean useDirect) {
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
        this.useDirect = useDirect;
        this.zeros = new double[w.cols()];
        this.sameSize = stride == 1 && out.width() == in.width() && out.height() == in.height();
        this.xLo = new int[kernel];
        this.xHi = new int[kernel];
        for (int j = 0; j < kernel; j++) {
            // output column x reads input column x s - p + j, inside when 0 <= x s - p + j < W
            xLo[j] = Math.min(out.width(), Math.max(0, Math.floorDiv(pad - j + stride - 1, stride)));
            xHi[j] = Math.max(xLo[j], Math.min(out.width(), Math.floorDiv(in.width() - 1 + pad - j, stride) + 1));
        }
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

    /** The most parts the sum over examples is cut into (a function of the batch size alone; see {@link #parts}). */
    static final int MAX_PARTS = 8;

    /** How many parts a batch of n examples is cut into for the sums over examples. */
    static int parts(int n) {
        return Math.max(1, Math.min(MAX_PARTS, n));
    }

    /**
     * Cache: the input of the last forward pass, the output and the input gradient, and per part its product buffers
     * and partial gradients. For a single-precision backend the product operands and results live in their float
     * copies only: the passes that fill and read them use those, and no product converts.
     */
    static final class Cache extends Layer.Cache {
        final boolean floats;
        /** The last forward pass's input, and its float copy when it had a valid one; backward reads it again. */
        DMatrixRMaj x;
        float[] xf;
        /**
         * Per part: an example's im2col columns [K x P], written for its forward product and written again for its dW:
         * a part's buffer stays in cache, where every example's columns kept from forward to backward would be tens of
         * megabytes written to memory and read back.
         */
        final MirroredMatrix[] cols = new MirroredMatrix[MAX_PARTS];
        /** The output and input gradient: in float only for a single-precision backend (see {@link Layer#readsFloatOnly}). */
        final DMatrixRMaj out = new DMatrixRMaj(1, 1);
        final DMatrixRMaj dx = new DMatrixRMaj(1, 1);
        final MirroredMatrix outF = MirroredMatrix.floatOnly(1, 1);
        final MirroredMatrix dxF = MirroredMatrix.floatOnly(1, 1);
        /**
         * Per part: an example's output or its gradient [F x P], its dcols [K x P] (for a same-size conv, dout's
         * columns [F*k*k x P]), the part's dW [K x F] and db.
         */
        final MirroredMatrix[] pos = new MirroredMatrix[MAX_PARTS];
        final MirroredMatrix[] dcols = new MirroredMatrix[MAX_PARTS];
        final MirroredMatrix[] dw = new MirroredMatrix[MAX_PARTS];
        final double[][] db = new double[MAX_PARTS][];
        /** Per part, for a same-size conv: an example's input gradient [C x P] as the product writes it. */
        final MirroredMatrix[] dxPart = new MirroredMatrix[MAX_PARTS];
        /** For a same-size conv: the filters flipped, [C x F*k*k] (see {@link Conv#flipFilters}). */
        final MirroredMatrix flipped;
        /** Per part: an example's input rounded to float, which its float columns are copied from. */
        private final float[][] example = new float[MAX_PARTS][];
        /** oneDNN's passes for this cache, once {@link Conv#direct} has tried to make them (null: im2col). */
        OneDnnConv direct;
        boolean directTried;
        /**
         * For oneDNN's passes: a batch, dout and the weights rounded to float when they are not in float already
         * ({@link Conv#inFloat}, slots {@code BATCH}, {@code DOUT}, {@code WEIGHTS}), and dW for a param kept in double.
         */
        final Rounded[] rounded = {new Rounded(), new Rounded(), new Rounded()};
        float[] dwF = new float[0];

        Cache(boolean floats) {
            this.floats = floats;
            for (int p = 0; p < MAX_PARTS; p++) {
                cols[p] = matrix(1, 1);
                pos[p] = matrix(1, 1);
                dcols[p] = matrix(1, 1);
                dw[p] = matrix(1, 1);
                dxPart[p] = matrix(1, 1);
            }
            flipped = matrix(1, 1);
        }

        /** A buffer: in its float copy only for a single-precision backend (no doubles allocated), else in data. */
        private MirroredMatrix matrix(int rows, int cols) {
            return floats ? MirroredMatrix.floatOnly(rows, cols) : MirroredMatrix.of(rows, cols, false);
        }

        /** Part {@code part}'s buffer for an example's input in float, of at least {@code size}. */
        float[] example(int part, int size) {
            if (example[part] == null || example[part].length < size) {
                example[part] = new float[size];
            }
            return example[part];
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
        OneDnnConv direct = direct(cache);
        if (direct != null) {
            return forwardDirect(direct, x, cache);
        }
        // a single-precision product's columns are copied from the input in float: its float copy where it has a
        // valid one (the preprocessed batch), else each example rounded to float once; a double product's from data
        float[] xf = cache.floats ? MirroredMatrix.validMirror(x) : null;
        if (!cache.floats || xf == null) {
            MirroredMatrix.ensureData(x);
        }
        cache.x = x;
        cache.xf = xf;
        int n = x.numRows;
        int p = out.area();
        int f = out.channels();
        DMatrixRMaj output = cache.floats ? cache.outF : cache.out;
        output.reshape(n, f * p, false);
        double[] o = cache.floats ? null : cache.out.data;
        float[] of = cache.floats ? cache.outF.mirror() : null;
        double[] bias = b == null ? zeros : b.value().data;
        DMatrixRMaj weights = w.forProduct();
        byPart(n, (part, e) -> {
            MirroredMatrix cols = columns(cache, part, e);
            MirroredMatrix pos = cache.pos[part];
            pos.reshape(f, p, false);
            gemm.gemm(true, false, 1, weights, cols, 0, pos); // out = W^T cols
            int to = e * f * p;
            if (of != null && pos.dataStale()) { // in float, as the products compute
                float[] ps = pos.mirror();
                for (int j = 0; j < f; j++) {
                    float bj = (float) bias[j];
                    for (int q = j * p, end = q + p; q < end; q++) {
                        of[to + q] = ps[q] + bj;
                    }
                }
            } else if (of != null) {
                double[] ps = pos.data;
                for (int j = 0; j < f; j++) {
                    for (int q = j * p, end = q + p; q < end; q++) {
                        of[to + q] = (float) (ps[q] + bias[j]);
                    }
                }
            } else if (pos.dataStale()) {
                float[] ps = pos.mirror();
                for (int j = 0; j < f; j++) {
                    for (int q = j * p, end = q + p; q < end; q++) {
                        o[to + q] = ps[q] + bias[j];
                    }
                }
            } else {
                double[] ps = pos.data;
                for (int j = 0; j < f; j++) {
                    for (int q = j * p, end = q + p; q < end; q++) {
                        o[to + q] = ps[q] + bias[j];
                    }
                }
            }
        });
        if (cache.floats) {
            cache.outF.markFloatOnly();
        }
        return output;
    }

    @Override
    public boolean readsFloatOnly() {
        return true;
    }

    /**
     * Example e's columns, in part {@code part}'s buffer, from the last forward pass's input: for a single-precision
     * product from its float copy where it had a valid one (the preprocessed batch, the previous layer's float
     * output), else from the example rounded to float once; for a double product from {@code data}.
     */
    private MirroredMatrix columns(Cache cache, int part, int e) {
        MirroredMatrix cols = cache.cols[part];
        cols.reshape(w.rows(), out.area(), false);
        if (!cache.floats) {
            im2col(cache.x.data, e * in.size(), in.channels(), cols.data);
            return cols;
        }
        if (cache.xf != null) {
            im2col(cache.xf, e * in.size(), in.channels(), cols.mirror());
        } else {
            float[] example = cache.example(part, in.size());
            MirroredMatrix.toFloat(cache.x.data, e * in.size(), example, in.size());
            im2col(example, 0, in.channels(), cols.mirror());
        }
        cols.markFloatOnly();
        return cols;
    }

    /** What a part does for one of its examples. */
    private interface ExamplePass {
        void run(int part, int example);
    }

    /**
     * Runs {@code pass} for every example of a batch of {@code n}, the examples cut into {@link #parts} runs of
     * consecutive examples shared between the product's threads; a part's examples run in order on one thread.
     */
    private void byPart(int n, ExamplePass pass) {
        int parts = parts(n);
        Parallel.forEach(parts, gemm.threads(), part -> {
            for (int e = n * part / parts, end = n * (part + 1) / parts; e < end; e++) {
                pass.run(part, e);
            }
        });
    }

    /**
     * The input value an entry of the columns comes from, as the rows {@code (c, i, j)} and the output row y read
     * it: input row {@code y s - p + i} of channel c, or -1 when that row lies in the padding; column x of the output
     * then reads input column {@code x s - p + j}, inside the image for x in {@code [xLo[j], xHi[j])}.
     */
    private int inputRow(int ch, int i, int y) {
        int iy = y * stride - pad + i;
        return iy < 0 || iy >= in.height() ? -1 : ch * in.area() + iy * in.width();
    }

    /**
     * Fills an example's columns [K x P] (its input of {@code channels} planes at {@code base} of x) with its
     * receptive fields, 0 in the padding. The channels are the input's, or dout's for {@link #backwardSameSize}.
     */
    private void im2col(double[] x, int base, int channels, double[] cols) {
        int ow = out.width();
        for (int ch = 0, to = 0; ch < channels; ch++) {
            for (int i = 0; i < kernel; i++) {
                for (int j = 0; j < kernel; j++) {
                    int lo = xLo[j];
                    int hi = xHi[j];
                    for (int y = 0; y < out.height(); y++, to += ow) {
                        int row = inputRow(ch, i, y);
                        if (row < 0) {
                            Arrays.fill(cols, to, to + ow, 0);
                            continue;
                        }
                        int from = base + row - pad + j;
                        for (int q = 0; q < lo; q++) {
                            cols[to + q] = 0;
                        }
                        if (stride == 1) { // the common case, in a loop the JIT vectorizes
                            for (int q = lo; q < hi; q++) {
                                cols[to + q] = x[from + q];
                            }
                        } else {
                            for (int q = lo; q < hi; q++) {
                                cols[to + q] = x[from + q * stride];
                            }
                        }
                        for (int q = hi; q < ow; q++) {
                            cols[to + q] = 0;
                        }
                    }
                }
            }
        }
    }

    /**
     * {@link #im2col(double[], int, int, double[])} from the example's input in float into a float copy, for the
     * single-precision products that read it.
     */
    private void im2col(float[] x, int base, int channels, float[] cols) {
        int ow = out.width();
        int p = out.area();
        for (int ch = 0, to = 0; ch < channels; ch++) {
            for (int i = 0; i < kernel; i++) {
                for (int j = 0; j < kernel; j++, to += p) {
                    if (sameSize) {
                        im2colShifted(x, base + ch * in.area(), i, j, cols, to);
                        continue;
                    }
                    int lo = xLo[j];
                    int hi = xHi[j];
                    for (int y = 0, t = to; y < out.height(); y++, t += ow) {
                        int row = inputRow(ch, i, y);
                        if (row < 0) {
                            Arrays.fill(cols, t, t + ow, 0);
                            continue;
                        }
                        int from = base + row - pad + j;
                        for (int q = 0; q < lo; q++) {
                            cols[t + q] = 0;
                        }
                        for (int q = lo; q < hi; q++) {
                            cols[t + q] = x[from + q * stride];
                        }
                        for (int q = hi; q < ow; q++) {
                            cols[t + q] = 0;
                        }
                    }
                }
            }
        }
    }

    /**
     * Row (c, i, j) of an example's columns when the output has the input's size (stride 1): output position
     * {@code t = y W + x} reads input {@code t + (i - p) W + (j - p)} of the channel's plane at {@code plane}, one
     * shifted run of the plane for all the rows that lie inside it, copied at once; the entries that run
     * wrapped into from a neighbouring row (x outside {@code [xLo[j], xHi[j])}) are then set to 0, the padding.
     */
    private void im2colShifted(float[] x, int plane, int i, int j, float[] cols, int to) {
        int w = in.width();
        int yLo = Math.max(0, pad - i);
        int yHi = Math.min(out.height(), in.height() + pad - i);
        int lo = xLo[j];
        int hi = xHi[j];
        if (yLo >= yHi || lo >= hi) {
            Arrays.fill(cols, to, to + out.area(), 0);
            return;
        }
        int t0 = yLo * w + lo;
        int t1 = (yHi - 1) * w + hi;
        int from = plane + (i - pad) * w + j - pad;
        Arrays.fill(cols, to, to + t0, 0);
        System.arraycopy(x, from + t0, cols, to + t0, t1 - t0);
        Arrays.fill(cols, to + t1, to + out.area(), 0);
        zeroWrapped(cols, to, yLo, yHi, lo, hi);
    }

    /**
     * Sets the entries of rows [yLo, yHi) of a column row at {@code to} outside columns [lo, hi) to 0: the run
     * copied wrapped into them from the neighbouring image row. Column by column, down the rows: a few columns
     * (at most the padding) of many rows.
     */
    private void zeroWrapped(float[] cols, int to, int yLo, int yHi, int lo, int hi) {
        int w = out.width();
        int first = to + yLo * w;
        int end = to + yHi * w;
        for (int x = 0; x < lo; x++) {
            for (int t = first + x; t < end; t += w) {
                cols[t] = 0;
            }
        }
        for (int x = hi; x < w; x++) {
            for (int t = first + x; t < end; t += w) {
                cols[t] = 0;
            }
        }
    }

    /**
     * oneDNN's passes for a single-precision cache, made on its first forward pass (which may load oneDNN: not at
     * construction, which the window may do on its own thread); null for a double cache, or where oneDNN is not wanted or
     * did not load: im2col then.
     */
    private OneDnnConv direct(Cache cache) {
        if (!cache.directTried) {
            cache.directTried = true;
            if (cache.floats && useDirect) {
                cache.direct = OneDnnConv.create(in.channels(), in.height(), in.width(), out.channels(), kernel, stride, pad,
                        out.height(), out.width()).orElse(null);
            }
        }
        return cache.direct;
    }

    /**
     * Forward by oneDNN: the batch as another oneDNN pass left it (a pooling's output), or in float (its float copy where
     * valid); the weights in float; the output marked with oneDNN's result, in native memory until something reads it.
     */
    private DMatrixRMaj forwardDirect(OneDnnConv direct, DMatrixRMaj x, Cache cache) {
        int n = x.numRows;
        OneDnnTensor xt = MirroredMatrix.nativeOf(x) instanceof OneDnnTensor t ? t : null;
        float[] xf = xt != null ? null : inFloat(x, MirroredMatrix.validMirror(x), cache, BATCH);
        OneDnnTensor y = direct.forward(xf, xt, n, weightsInFloat(cache), b == null ? null : b.value().data);
        cache.outF.reshape(n, out.size(), false);
        cache.outF.markNative(y);
        return cache.outF;
    }

    /** Backward by oneDNN: dW into the gradient's float copy where it keeps one, db, and dx marked with oneDNN's result. */
    private DMatrixRMaj backwardDirect(OneDnnConv direct, DMatrixRMaj dout, Cache cache) {
        int n = dout.numRows;
        OneDnnTensor dt = MirroredMatrix.nativeOf(dout) instanceof OneDnnTensor t ? t : null;
        float[] df = dt != null ? null : inFloat(dout, MirroredMatrix.onlyInFloat(dout), cache, DOUT);
        boolean inputGradient = cache.inputGradient();
        DMatrixRMaj grad = w.gradForProduct();
        MirroredMatrix inFloat = grad instanceof MirroredMatrix g && g.floatFirst() ? g : null;
        float[] dw = inFloat != null ? inFloat.mirror() : (cache.dwF = atLeast(cache.dwF, w.size()));
        OneDnnTensor dx = direct.backward(df, dt, n, weightsInFloat(cache), inputGradient, dw, b == null ? null : b.grad().data);
        if (inFloat != null) {
            inFloat.markFloatOnly();
        } else {
            double[] to = w.grad().data;
            for (int i = 0; i < to.length; i++) {
                to[i] = dw[i];
            }
        }
        if (!inputGradient) {
            return null;
        }
        cache.dxF.reshape(n, in.size(), false);
        cache.dxF.markNative(dx);
        return cache.dxF;
    }

    /** The weights in float: their float copy where valid, else rounded once into the cache. */
    private float[] weightsInFloat(Cache cache) {
        DMatrixRMaj weights = w.forProduct();
        return inFloat(weights, MirroredMatrix.validMirror(weights), cache, WEIGHTS);
    }

    private static final int BATCH = 0;
    private static final int DOUT = 1;
    private static final int WEIGHTS = 2;

    /** {@code m}'s values in float: {@code found} (its float copy) if not null, else rounded into the cache's slot. */
    private static float[] inFloat(DMatrixRMaj m, float[] found, Cache cache, int slot) {
        return cache.rounded[slot].of(m, found);
    }

    private static float[] atLeast(float[] a, int size) {
        return a.length >= size ? a : new float[size];
    }

    @Override
    public DMatrixRMaj backward(DMatrixRMaj dout, Layer.Cache c) {
        Cache cache = (Cache) c;
        if (cache.direct != null) {
            return backwardDirect(cache.direct, dout, cache);
        }
        int n = dout.numRows;
        int p = out.area();
        int f = out.channels();
        int k = w.rows();
        int parts = parts(n);
        boolean inputGradient = cache.inputGradient();
        // a single-precision net's dx is in float where the product gives it whole (a same-size conv), see
        // backwardSameSize; col2im adds in double
        DMatrixRMaj dxOut = cache.floats && sameSize ? cache.dxF : cache.dx;
        if (inputGradient) {
            dxOut.reshape(n, in.size(), false);
        }
        float[] df = cache.floats ? MirroredMatrix.onlyInFloat(dout) : null;
        if (df == null) {
            MirroredMatrix.ensureData(dout);
        }
        double[] d = dout.data;
        double[] dx = cache.dx.data;
        // taken here, not by the parts' threads: the first call may allocate the array
        float[] dxf = inputGradient && dxOut == cache.dxF ? cache.dxF.mirror() : null;
        DMatrixRMaj weights = w.forProduct();
        if (inputGradient && sameSize) {
            flipFilters(weights, cache);
        }
        for (int part = 0; part < parts; part++) {
            cache.dw[part].reshape(k, f, false);
            if (cache.db[part] == null) {
                cache.db[part] = new double[f];
            }
            Arrays.fill(cache.db[part], 0);
        }
        byPart(n, (part, e) -> {
            // the example's gradient, filters x positions, as the products read it
            MirroredMatrix g = cache.pos[part];
            g.reshape(f, p, false);
            int from = e * f * p;
            if (df != null) {
                System.arraycopy(df, from, g.mirror(), 0, f * p);
                g.markFloatOnly();
            } else if (cache.floats) {
                MirroredMatrix.toFloat(d, from, g.mirror(), f * p);
                g.markFloatOnly();
            } else {
                System.arraycopy(d, from, g.data, 0, f * p);
            }
            double[] db = cache.db[part];
            for (int j = 0; j < f; j++) {
                db[j] += df != null ? sum(df, from + j * p, p) : sum(d, from + j * p, p);
            }
            boolean first = e == n * part / parts;
            gemm.gemm(false, true, 1, columns(cache, part, e), g, first ? 0 : 1, cache.dw[part]); // dW += cols dout^T
            if (inputGradient && sameSize) {
                backwardSameSize(cache, part, g, dxf, dx, e * in.size());
            } else if (inputGradient) {
                MirroredMatrix dcols = cache.dcols[part];
                dcols.reshape(k, p, false);
                gemm.gemm(false, false, 1, weights, g, 0, dcols); // dcols = W dout
                if (dcols.dataStale()) {
                    col2im(dcols.mirror(), e * in.size(), dx);
                } else {
                    col2im(dcols.data, e * in.size(), dx);
                }
            }
        });
        if (inputGradient && dxOut == cache.dxF) {
            cache.dxF.markFloatOnly();
        }
        sumParts(cache, parts);
        return inputGradient ? dxOut : null;
    }

    /**
     * An example's input gradient when the output has the input's size (stride 1, {@code 2p = k - 1}): dx is then
     * the convolution of dout, padded the same, with the filters flipped (rows and columns reversed, channels and
     * filters swapped): {@code dx[c, y, x] = sum_{f,i,j} w[c, k-1-i, k-1-j; f] dout[f, y - p + i, x - p + j]}. So
     * im2col of dout [F*k*k x P] and one product {@code dx = Wflip cols} [C x P], instead of {@code dcols = W dout}
     * [K x P] (a product whose inner size is only F) and col2im adding its K*P entries back one by one. Written at
     * {@code base} of {@code dxf} (a single-precision net's float dx), or else of {@code dxd}.
     */
    private void backwardSameSize(Cache cache, int part, MirroredMatrix g, float[] dxf, double[] dxd, int base) {
        int f = out.channels();
        int kk = kernel * kernel;
        int p = out.area();
        MirroredMatrix cols = cache.dcols[part];
        cols.reshape(f * kk, p, false);
        if (g.dataStale()) {
            im2col(g.mirror(), 0, f, cols.mirror());
            cols.markFloatOnly();
        } else {
            im2col(g.data, 0, f, cols.data);
            cols.invalidateMirror();
        }
        MirroredMatrix dxe = cache.dxPart[part];
        dxe.reshape(in.channels(), p, false);
        gemm.gemm(false, false, 1, cache.flipped, cols, 0, dxe);
        if (dxf != null && dxe.dataStale()) {
            System.arraycopy(dxe.mirror(), 0, dxf, base, in.size());
        } else if (dxf != null) {
            for (int i = 0; i < in.size(); i++) {
                dxf[base + i] = (float) dxe.data[i];
            }
        } else if (dxe.dataStale()) {
            float[] v = dxe.mirror();
            for (int i = 0; i < in.size(); i++) {
                dxd[base + i] = v[i];
            }
        } else {
            System.arraycopy(dxe.data, 0, dxd, base, in.size());
        }
    }

    /**
     * The filters for {@link #backwardSameSize}: {@code flipped[c, (f, i, j)] = w[(c, k-1-i, k-1-j), f]}, in the
     * precision the products read ({@code w}'s float copy for a single-precision backend).
     */
    private void flipFilters(DMatrixRMaj weights, Cache cache) {
        int c = in.channels();
        int f = out.channels();
        int kk = kernel * kernel;
        MirroredMatrix flipped = cache.flipped;
        flipped.reshape(c, f * kk, false);
        float[] wf = cache.floats ? MirroredMatrix.validMirror(weights) : null;
        if (wf == null) {
            MirroredMatrix.ensureData(weights);
        }
        double[] wd = weights.data;
        float[] toF = cache.floats ? flipped.mirror() : null;
        double[] toD = cache.floats ? null : flipped.data;
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < kernel; i++) {
                for (int j = 0; j < kernel; j++) {
                    int row = (ch * kk + i * kernel + j) * f;
                    int col = ch * f * kk + (kernel - 1 - i) * kernel + (kernel - 1 - j);
                    for (int fi = 0; fi < f; fi++) {
                        if (toD != null) {
                            toD[col + fi * kk] = wd[row + fi];
                        } else {
                            toF[col + fi * kk] = wf != null ? wf[row + fi] : (float) wd[row + fi];
                        }
                    }
                }
            }
        }
        if (toD != null) {
            flipped.invalidateMirror();
        } else {
            flipped.markFloatOnly();
        }
    }

    /**
     * The sum of {@code d[from, from + len)}, in four running sums (a fixed order): one would make every addition
     * wait for the one before it.
     */
    static double sum(double[] d, int from, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        for (int end = from + (len & ~3); i < end; i += 4) {
            s0 += d[i];
            s1 += d[i + 1];
            s2 += d[i + 2];
            s3 += d[i + 3];
        }
        for (int end = from + len; i < end; i++) {
            s0 += d[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@link #sum(double[], int, int)} of floats, in the same order and in double: the same sum of the same values. */
    static double sum(float[] d, int from, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        for (int end = from + (len & ~3); i < end; i += 4) {
            s0 += d[i];
            s1 += d[i + 1];
            s2 += d[i + 2];
            s3 += d[i + 3];
        }
        for (int end = from + len; i < end; i++) {
            s0 += d[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** dW and db: the parts' sums, added in part order. */
    private void sumParts(Cache cache, int parts) {
        DMatrixRMaj grad = w.gradForProduct();
        int size = grad.getNumElements();
        if (grad instanceof MirroredMatrix g && g.floatFirst()) {
            float[] sum = g.mirror();
            System.arraycopy(floats(cache.dw[0]), 0, sum, 0, size);
            for (int part = 1; part < parts; part++) {
                float[] add = floats(cache.dw[part]);
                for (int i = 0; i < size; i++) {
                    sum[i] += add[i];
                }
            }
            g.markFloatOnly();
        } else {
            double[] sum = w.grad().data;
            for (int part = 0; part < parts; part++) {
                DMatrixRMaj add = cache.dw[part];
                MirroredMatrix.ensureData(add);
                for (int i = 0; i < size; i++) {
                    sum[i] = part == 0 ? add.data[i] : sum[i] + add.data[i];
                }
            }
        }
        if (b != null) {
            double[] db = b.grad().data;
            for (int part = 0; part < parts; part++) {
                for (int j = 0; j < db.length; j++) {
                    db[j] = part == 0 ? cache.db[0][j] : db[j] + cache.db[part][j];
                }
            }
        }
    }

    /** A part's dW in float: its float copy, made from data first if a double product wrote it. */
    private static float[] floats(MirroredMatrix m) {
        if (!m.mirrorValid()) {
            MirroredMatrix.toFloat(m.data, m.mirror(), m.getNumElements());
            m.markMirrorValid();
        }
        return m.mirror();
    }

    /** Adds an example's dcols [K x P] back into its dx (at {@code base}) where im2col copied them from. */
    private void col2im(double[] dcols, int base, double[] dx) {
        Arrays.fill(dx, base, base + in.size(), 0);
        int ow = out.width();
        for (int ch = 0, to = 0; ch < in.channels(); ch++) {
            for (int i = 0; i < kernel; i++) {
                for (int j = 0; j < kernel; j++) {
                    int hi = xHi[j];
                    for (int y = 0; y < out.height(); y++, to += ow) {
                        int row = inputRow(ch, i, y);
                        if (row >= 0) {
                            int from = base + row - pad + j;
                            if (stride == 1) {
                                for (int q = xLo[j]; q < hi; q++) {
                                    dx[from + q] += dcols[to + q];
                                }
                            } else {
                                for (int q = xLo[j]; q < hi; q++) {
                                    dx[from + q * stride] += dcols[to + q];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** {@link #col2im(double[], int, double[])} from a float copy. */
    private void col2im(float[] dcols, int base, double[] dx) {
        Arrays.fill(dx, base, base + in.size(), 0);
        int ow = out.width();
        int p = out.area();
        for (int ch = 0, to = 0; ch < in.channels(); ch++) {
            for (int i = 0; i < kernel; i++) {
                for (int j = 0; j < kernel; j++, to += p) {
                    int hi = xHi[j];
                    for (int y = 0, t = to; y < out.height(); y++, t += ow) {
                        int row = inputRow(ch, i, y);
                        if (row >= 0) {
                            int from = base + row - pad + j;
                            for (int q = xLo[j]; q < hi; q++) {
                                dx[from + q * stride] += dcols[t + q];
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public String describe() {
        return "conv " + kernel + "x" + kernel + "x" + out.channels() + (stride == 1 ? "" : " stride " + stride)
                + (pad == 0 ? "" : " pad " + pad) + ": " + in + " -> " + out;
    }
}
