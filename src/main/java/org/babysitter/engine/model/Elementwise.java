package org.babysitter.engine.model;

import java.util.BitSet;

import org.ejml.data.DMatrixRMaj;

/**
 * A layer applying one function to every entry: {@code y = f(x)}, {@code dx = dout * f'(x)}, with f' written
 * from x and y. Subclasses keep their forward and backward loops side by side.
 */
public abstract class Elementwise implements Layer {
    /** Cache: the input, the output and the input gradient. */
    static final class Cache extends Layer.Cache {
        DMatrixRMaj x;
        final DMatrixRMaj out = new DMatrixRMaj(1, 1);
        final DMatrixRMaj dx = new DMatrixRMaj(1, 1);
    }

    @Override
    public Layer.Cache newCache() {
        return new Cache();
    }

    /** Which inputs of the last forward pass were above 0, for a function with a kink at 0. */
    static BitSet positive(Layer.Cache c) {
        DMatrixRMaj x = ((Cache) c).x;
        BitSet sides = new BitSet(x.getNumElements());
        for (int i = 0; i < x.getNumElements(); i++) {
            if (x.data[i] > 0) {
                sides.set(i);
            }
        }
        return sides;
    }

    @Override
    public final DMatrixRMaj forward(DMatrixRMaj x, Mode mode, Layer.Cache c) {
        Cache cache = (Cache) c;
        cache.x = x;
        cache.out.reshape(x.numRows, x.numCols, false);
        apply(x.data, cache.out.data, x.getNumElements());
        return cache.out;
    }

    @Override
    public final DMatrixRMaj backward(DMatrixRMaj dout, Layer.Cache c) {
        Cache cache = (Cache) c;
        cache.dx.reshape(dout.numRows, dout.numCols, false);
        gradient(cache.x.data, cache.out.data, dout.data, cache.dx.data, dout.getNumElements());
        return cache.dx;
    }

    /** y[i] = f(x[i]) for i < n. */
    protected abstract void apply(double[] x, double[] y, int n);

    /** dx[i] = dout[i] * f'(x[i]) for i < n, given y = f(x). */
    protected abstract void gradient(double[] x, double[] y, double[] dout, double[] dx, int n);

    /** ReLU: max(0, x). */
    public static final class Relu extends Elementwise {
        @Override
        protected void apply(double[] x, double[] y, int n) {
            for (int i = 0; i < n; i++) {
                y[i] = Math.max(x[i], 0);
            }
        }

        @Override
        protected void gradient(double[] x, double[] y, double[] dout, double[] dx, int n) {
            for (int i = 0; i < n; i++) {
                dx[i] = whereUp(y[i], dout[i]);
            }
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

        public LeakyRelu(double alpha) {
            this.alpha = alpha;
        }

        @Override
        protected void apply(double[] x, double[] y, int n) {
            for (int i = 0; i < n; i++) {
                y[i] = x[i] > 0 ? x[i] : alpha * x[i];
            }
        }

        @Override
        protected void gradient(double[] x, double[] y, double[] dout, double[] dx, int n) {
            for (int i = 0; i < n; i++) {
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
        @Override
        protected void apply(double[] x, double[] y, int n) {
            for (int i = 0; i < n; i++) {
                y[i] = Math.tanh(x[i]);
            }
        }

        @Override
        protected void gradient(double[] x, double[] y, double[] dout, double[] dx, int n) {
            for (int i = 0; i < n; i++) {
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
        @Override
        protected void apply(double[] x, double[] y, int n) {
            for (int i = 0; i < n; i++) {
                y[i] = 1 / (1 + Math.exp(-x[i]));
            }
        }

        @Override
        protected void gradient(double[] x, double[] y, double[] dout, double[] dx, int n) {
            for (int i = 0; i < n; i++) {
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
