package org.babysitter.engine.model;

import java.util.BitSet;

import org.babysitter.engine.linalg.MirroredMatrix;
import org.babysitter.engine.linalg.OneDnnRelu;
import org.babysitter.engine.linalg.OneDnnTensor;
import org.babysitter.engine.linalg.Parallel;
import org.ejml.data.DMatrixRMaj;

/**
 * A layer applying one function to every entry: {@code y = f(x)}, {@code dx = dout * f'(x)}, with f' written
 * from x and y. Subclasses keep their forward and backward loops side by side.
 */
public abstract class Elementwise implements Layer {
    /** Fewer entries than this and a pass runs on the calling thread: forking would cost more than it saves. */
    static final int SPLIT_FROM = 1 << 17;

    /** Threads a large pass is shared between (entries are independent: any cut gives the same values). */
    private final int threads;

    protected Elementwise(int threads) {
        this.threads = Math.max(1, threads);
    }

    /**
     * Cache: the input, the output and the input gradient; in float ({@link #inFloat}) when the input was held in
     * its float copy only and the function has a float pass.
     */
    static final class Cache extends Layer.Cache {
        DMatrixRMaj x;
        boolean inFloat;
        final DMatrixRMaj out = new DMatrixRMaj(1, 1);
        final DMatrixRMaj dx = new DMatrixRMaj(1, 1);
        final MirroredMatrix outF = MirroredMatrix.floatOnly(1, 1);
        final MirroredMatrix dxF = MirroredMatrix.floatOnly(1, 1);
        /** oneDNN's passes, once tried (null: not available); whether the last forward pass went through them. */
        OneDnnRelu direct;
        boolean directTried;
        boolean nativePass;
        final Rounded rounded = new Rounded();
    }

    @Override
    public Layer.Cache newCache() {
        return new Cache();
    }

    /** Which inputs of the last forward pass were above 0, for a function with a kink at 0. */
    static BitSet positive(Layer.Cache c) {
        DMatrixRMaj x = ((Cache) c).x;
        MirroredMatrix.ensureData(x);
        BitSet sides = new BitSet(x.getNumElements());
        for (int i = 0; i < x.getNumElements(); i++) {
            if (x.data[i] > 0) {
                sides.set(i);
            }
        }
        return sides;
    }

    @Override
    public final boolean readsFloatOnly() {
        return true;
    }

    @Override
    public final DMatrixRMaj forward(DMatrixRMaj x, Mode mode, Layer.Cache c) {
        Cache cache = (Cache) c;
        cache.x = x;
        OneDnnTensor xt = hasNativePass() && MirroredMatrix.nativeOf(x) instanceof OneDnnTensor t ? t : null;
        OneDnnRelu relu = xt == null ? null : direct(cache);
        cache.nativePass = relu != null;
        if (relu != null) { // a oneDNN convolution's output, in its layout: ReLU by oneDNN, the result left there too
            OneDnnTensor y = relu.forward(xt, x.numRows);
            cache.inFloat = true;
            cache.outF.reshape(x.numRows, x.numCols, false);
            cache.outF.markNative(y);
            return cache.outF;
        }
        float[] xf = hasFloatPass() ? MirroredMatrix.onlyInFloat(x) : null;
        cache.inFloat = xf != null;
        if (cache.inFloat) {
            cache.outF.reshape(x.numRows, x.numCols, false);
            float[] y = cache.outF.mirror();
            inRanges(x.getNumElements(), (from, to) -> applyFloat(xf, y, from, to));
            cache.outF.markFloatOnly();
            return cache.outF;
        }
        MirroredMatrix.ensureData(x);
        cache.out.reshape(x.numRows, x.numCols, false);
        double[] y = cache.out.data;
        inRanges(x.getNumElements(), (from, to) -> apply(x.data, y, from, to));
        return cache.out;
    }

    @Override
    public final DMatrixRMaj backward(DMatrixRMaj dout, Layer.Cache c) {
        Cache cache = (Cache) c;
        if (cache.nativePass) {
            OneDnnTensor dt = MirroredMatrix.nativeOf(dout) instanceof OneDnnTensor t ? t : null;
            float[] d = dt != null ? null : cache.rounded.of(dout, MirroredMatrix.onlyInFloat(dout));
            OneDnnTensor dx = cache.direct.backward(d, dt, dout.numRows);
            cache.dxF.reshape(dout.numRows, dout.numCols, false);
            cache.dxF.markNative(dx);
            return cache.dxF;
        }
        int n = dout.getNumElements();
        if (cache.inFloat) {
            cache.dxF.reshape(dout.numRows, dout.numCols, false);
            float[] dx = cache.dxF.mirror();
            float[] d = MirroredMatrix.onlyInFloat(dout);
            if (d == null) { // a double dout: rounded into dx, which the pass then overwrites entry by entry
                MirroredMatrix.toFloat(dout.data, dx, n);
                d = dx;
            }
            float[] y = cache.outF.mirror();
            float[] df = d;
            inRanges(n, (from, to) -> gradientFloat(y, df, dx, from, to));
            cache.dxF.markFloatOnly();
            return cache.dxF;
        }
        MirroredMatrix.ensureData(dout);
        cache.dx.reshape(dout.numRows, dout.numCols, false);
        double[] x = cache.x.data;
        double[] y = cache.out.data;
        double[] dx = cache.dx.data;
        inRanges(n, (from, to) -> gradient(x, y, dout.data, dx, from, to));
        return cache.dx;
    }

    /** oneDNN's passes for this cache, made on first use; null where oneDNN is not available. */
    private static OneDnnRelu direct(Cache cache) {
        if (!cache.directTried) {
            cache.directTried = true;
            cache.direct = OneDnnRelu.create().orElse(null);
        }
        return cache.direct;
    }

    /**
     * True if the function has oneDNN passes ({@link OneDnnRelu}), used when the input is a oneDNN pass's result held in
     * native memory (a single-precision convolution's output).
     */
    protected boolean hasNativePass() {
        return false;
    }

    /** A pass over entries [from, to). */
    private interface Range {
        void run(int from, int to);
    }

    /** Runs {@code pass} over [0, n): in one piece, or in pieces shared between the threads when n is large. */
    private void inRanges(int n, Range pass) {
        int parts = n < SPLIT_FROM ? 1 : Math.min(2 * threads, n / (SPLIT_FROM / 2));
        if (parts <= 1 || threads == 1) {
            pass.run(0, n);
            return;
        }
        Parallel.forEach(parts, threads, p -> pass.run((int) ((long) n * p / parts), (int) ((long) n * (p + 1) / parts)));
    }

    /** y[i] = f(x[i]) for from <= i < to. */
    protected abstract void apply(double[] x, double[] y, int from, int to);

    /** dx[i] = dout[i] * f'(x[i]) for from <= i < to, given y = f(x). */
    protected abstract void gradient(double[] x, double[] y, double[] dout, double[] dx, int from, int to);

    /**
     * True if the function has a pass in float ({@link #applyFloat}, {@link #gradientFloat}), used when its input is
     * held in float only: between a single-precision net's convolutions and pooling.
     */
    protected boolean hasFloatPass() {
        return false;
    }

    /** {@link #apply} in float. */
    protected void applyFloat(float[] x, float[] y, int from, int to) {
        throw new UnsupportedOperationException(describe() + " has no float pass");
    }

    /** {@link #gradient} in float, from y and dout alone (dout and dx may be the same array). */
    protected void gradientFloat(float[] y, float[] dout, float[] dx, int from, int to) {
        throw new UnsupportedOperationException(describe() + " has no float pass");
    }

    /** ReLU: max(0, x). */
    public static final class Relu extends Elementwise {
        public Relu(int threads) {
            super(threads);
        }

        @Override
        protected void apply(double[] x, double[] y, int from, int to) {
            for (int i = from; i < to; i++) {
                y[i] = Math.max(x[i], 0);
            }
        }

        @Override
        protected void gradient(double[] x, double[] y, double[] dout, double[] dx, int from, int to) {
            for (int i = from; i < to; i++) {
                dx[i] = whereUp(y[i], dout[i]);
            }
        }

        @Override
        protected boolean hasFloatPass() {
            return true;
        }

        @Override
        protected boolean hasNativePass() {
            return true;
        }

        @Override
        protected void applyFloat(float[] x, float[] y, int from, int to) {
            for (int i = from; i < to; i++) {
                y[i] = Math.max(x[i], 0f);
            }
        }

        @Override
        protected void gradientFloat(float[] y, float[] dout, float[] dx, int from, int to) {
            for (int i = from; i < to; i++) {
                dx[i] = whereUp(y[i], dout[i]);
            }
        }

        /** {@link #whereUp(double, double)} in float. */
        static float whereUp(float y, float d) {
            int zero = (Float.floatToRawIntBits(y) - 1) >> 31;
            return Float.intBitsToFloat(Float.floatToRawIntBits(d) & ~zero);
        }

        /**
         * {@code d} where the output {@code y} is above 0 (the input was), else 0: {@code y > 0 ? d : 0} without a
         * branch, which half-positive inputs would mispredict half the time. y = max(x, 0) is +0.0 or above, so
         * y's bits minus one are negative exactly when y is 0, and their sign, spread, masks d out.
         */
        static double whereUp(double y, double d) {
            long zero = (Double.doubleToRawLongBits(y) - 1) >> 63;
            return Double.longBitsToDouble(Double.doubleToRawLongBits(d) & ~zero);
        }

        @Override
        public BitSet kinkSides(Layer.Cache cache) {
            return positive(cache);
        }

        @Override
        public String describe() {
            return "relu";
        }
    }

    /** Leaky ReLU: x for x > 0, alpha * x otherwise. */
    public static final class LeakyRelu extends Elementwise {
        private final double alpha;

        public LeakyRelu(double alpha, int threads) {
            super(threads);
            this.alpha = alpha;
        }

        @Override
        protected void apply(double[] x, double[] y, int from, int to) {
            for (int i = from; i < to; i++) {
                y[i] = x[i] > 0 ? x[i] : alpha * x[i];
            }
        }

        @Override
        protected void gradient(double[] x, double[] y, double[] dout, double[] dx, int from, int to) {
            for (int i = from; i < to; i++) {
                dx[i] = x[i] > 0 ? dout[i] : alpha * dout[i];
            }
        }

        @Override
        public BitSet kinkSides(Layer.Cache cache) {
            return positive(cache);
        }

        @Override
        public String describe() {
            return "leaky relu (" + alpha + ")";
        }
    }

    /** tanh(x); f' = 1 - y^2. */
    public static final class Tanh extends Elementwise {
        public Tanh(int threads) {
            super(threads);
        }

        @Override
        protected void apply(double[] x, double[] y, int from, int to) {
            for (int i = from; i < to; i++) {
                y[i] = Math.tanh(x[i]);
            }
        }

        @Override
        protected void gradient(double[] x, double[] y, double[] dout, double[] dx, int from, int to) {
            for (int i = from; i < to; i++) {
                dx[i] = dout[i] * (1 - y[i] * y[i]);
            }
        }

        @Override
        public double[] saturationBounds() {
            return new double[] {-1, 1};
        }

        @Override
        public String describe() {
            return "tanh";
        }
    }

    /** Logistic sigmoid 1 / (1 + e^-x); f' = y (1 - y). */
    public static final class Sigmoid extends Elementwise {
        public Sigmoid(int threads) {
            super(threads);
        }

        @Override
        protected void apply(double[] x, double[] y, int from, int to) {
            for (int i = from; i < to; i++) {
                y[i] = 1 / (1 + Math.exp(-x[i]));
            }
        }

        @Override
        protected void gradient(double[] x, double[] y, double[] dout, double[] dx, int from, int to) {
            for (int i = from; i < to; i++) {
                dx[i] = dout[i] * y[i] * (1 - y[i]);
            }
        }

        @Override
        public double[] saturationBounds() {
            return new double[] {0, 1};
        }

        @Override
        public String describe() {
            return "sigmoid";
        }
    }
}
