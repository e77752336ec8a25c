package org.babysitter.engine.model;

import org.babysitter.engine.linalg.MirroredMatrix;
import org.babysitter.engine.linalg.Parallel;
import org.ejml.data.DMatrixRMaj;

/**
 * A learned tensor and its gradient, same shape. Weights are {@code regularized} (L2 applies to them); biases and
 * batch-norm scales and shifts are not.
 * <p>
 * Everyone reads and writes the values through {@link #value()} and the gradient through {@link #grad()}. Two
 * seams see more:
 * <ul>
 * <li>the GEMM seam: a layer hands {@link #forProduct()} and {@link #gradForProduct()} to a
 * {@link org.babysitter.engine.linalg.Gemm} and reads nothing from them itself;</li>
 * <li>an update rule steps the values through {@link #step} with its {@link StepFormula}, in single precision, with
 * the rule's per-entry state ({@link Slots}) kept by this class.</li>
 * </ul>
 * Behind those seams, a weight multiplied in single precision ({@link #inFloat()}: created so when the backend
 * {@link org.babysitter.engine.linalg.Gemm#readsFloatCopies() reads float copies}) keeps its values, its gradient
 * and the rule's state in float: the products read and write them there and the step writes them back there, with
 * half the bytes moved per step and no conversion of the whole tensor in between. {@link #value()} and
 * {@link #grad()} fill {@code data} from the float copy when needed and let the caller write it: the float copy is
 * refreshed from {@code data} before it is next used.
 */
public final class Param {
    /** Entries per slice of a step: slices run in parallel for large params, fixed whatever the thread count. */
    static final int SLICE = 1 << 15;
    /** Params smaller than this are stepped on the calling thread: forking costs more than it saves. */
    static final int PARALLEL_FROM = 2 * SLICE;

    private final String name;
    private final DMatrixRMaj value;
    private final DMatrixRMaj grad;
    private final boolean regularized;
    private final boolean inFloat;

    /** A param in double precision over {@code value} (kept, not copied). */
    public Param(String name, DMatrixRMaj value, boolean regularized) {
        this(name, value, new DMatrixRMaj(value.numRows, value.numCols), regularized, false);
    }

    private Param(String name, DMatrixRMaj value, DMatrixRMaj grad, boolean regularized, boolean inFloat) {
        this.name = name;
        this.value = value;
        this.grad = grad;
        this.regularized = regularized;
        this.inFloat = inFloat;
    }

    /**
     * A zero param of the given shape; kept in float if {@code inFloat} (its products are computed in single
     * precision from the float copy, see the class comment).
     */
    public static Param zeros(String name, int rows, int cols, boolean regularized, boolean inFloat) {
        if (!inFloat) {
            return new Param(name, new DMatrixRMaj(rows, cols), regularized);
        }
        return new Param(name, MirroredMatrix.of(rows, cols, true), MirroredMatrix.of(rows, cols, true), regularized, true);
    }

    /** "W1", "b1", "gamma1", ... as in the checkpoint. */
    public String name() {
        return name;
    }

    public boolean regularized() {
        return regularized;
    }

    /** True if the values, gradient and rule state are kept in float (see the class comment). */
    public boolean inFloat() {
        return inFloat;
    }

    public int rows() {
        return value.numRows;
    }

    public int cols() {
        return value.numCols;
    }

    public int size() {
        return value.getNumElements();
    }

    /** The values, in {@code data}, to read or write; a float copy is refreshed from them before its next use. */
    public DMatrixRMaj value() {
        return readable(value);
    }

    /** The gradient, in {@code data}, to read or write (a gradient check adds the L2 term to it). */
    public DMatrixRMaj grad() {
        return readable(grad);
    }

    private static DMatrixRMaj readable(DMatrixRMaj m) {
        MirroredMatrix.ensureData(m);
        MirroredMatrix.invalidate(m); // the caller may write data: it holds the values from now on
        return m;
    }

    /** The values as a product reads them (possibly in the float copy only): for a {@code Gemm}, never read directly. */
    public DMatrixRMaj forProduct() {
        return value;
    }

    /** The gradient's matrix as a product writes it ({@code x^T dout}): for a {@code Gemm}, never read directly. */
    public DMatrixRMaj gradForProduct() {
        return grad;
    }

    // ------------------------------------------------------------------ the update rules' seam

    private static final float[] NONE = new float[0];

    /** Per-entry state an update rule keeps for one param (velocities, squared-gradient caches), and its step count. */
    public static final class Slots {
        private final float[] a;
        private final float[] b;
        private long steps;

        private Slots(int count, int size) {
            if (count > 2) {
                throw new IllegalArgumentException("a rule keeps at most 2 numbers per entry, not " + count);
            }
            this.a = count > 0 ? new float[size] : NONE;
            this.b = count > 1 ? new float[size] : NONE;
        }

        /** Steps taken with this state. */
        public long steps() {
            return steps;
        }

        /** A copy of the state as it is now (a forked run goes on with it, the original with this one). */
        public Slots copy() {
            Slots c = new Slots(a == NONE ? 0 : b == NONE ? 1 : 2, a.length);
            System.arraycopy(a, 0, c.a, 0, a.length);
            System.arraycopy(b, 0, c.b, 0, b.length);
            c.steps = steps;
            return c;
        }
    }

    /** {@code count} (0 to 2) zeroed per-entry state arrays for a rule. */
    public Slots newSlots(int count) {
        return new Slots(count, size());
    }

    /**
     * What a step measured: sums of squares of the update and of the values before it; and how many threads its
     * slices may run on (the net's product threads: fewer when search trials share the cores).
     */
    public static final class StepStats {
        private final int threads;
        /** sum of (update)^2. */
        public double updateSquares;
        /** sum of (value before the update)^2. */
        public double valueSquares;

        /** Stats of steps run on as many threads as there are cores. */
        public StepStats() {
            this(Runtime.getRuntime().availableProcessors());
        }

        public StepStats(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
            this.threads = threads;
        }

        /** norm(update) / norm(value before): the lecture's ratio, about 1e-3 when the learning rate is right; NaN for all zeros. */
        public double ratio() {
            return valueSquares == 0 ? Double.NaN : Math.sqrt(updateSquares / valueSquares);
        }
    }

    /** Float copies of a param kept in double (values, gradient, updates), made on its first step. */
    private float[][] doubleStep;
    private double[] sums = new double[2];

    /**
     * One update of the values by a rule's {@code formula}, entry by entry, in single precision: the formula gets each
     * value, its gradient plus {@code decay * w} ({@code decayInGradient}; a rule with decoupled weight decay gets
     * {@code decay} in {@link StepFormula#begin} and applies it itself), the learning rate and its state, and returns the
     * update. Measures sum(update^2) and sum(w^2) before the update into {@code stats}.
     * <p>
     * A param kept in float is stepped where it is stored, in one pass ({@link StepLoop}). A param kept in double
     * (biases, batch norm's scale and shift, every weight under a double-precision backend) is read into float copies,
     * its updates computed in float and added to its double values, the sums taken in double: the weights keep their
     * precision, and an update needs no more digits than a float has. Large params are stepped in fixed slices in
     * parallel; the sums are added per slice and then in slice order, so the result does not depend on which thread ran
     * which slice: the same run, bit for bit.
     */
    public void step(Slots slots, double lr, double decay, boolean decayInGradient, StepFormula formula, StepStats stats) {
        int n = size();
        slots.steps++;
        formula.begin(slots.steps, (float) decay);
        StepLoop loop = StepLoop.forRule(formula);
        float[] w;
        float[] g;
        float[] out = null;
        if (inFloat) {
            MirroredMatrix v = (MirroredMatrix) value;
            w = v.mirror();
            if (!v.mirrorValid()) { // data was written since the last step (a restore): take it
                MirroredMatrix.toFloat(v.data, w, n);
                v.markMirrorValid();
            }
            MirroredMatrix gm = (MirroredMatrix) grad;
            if (gm.mirrorValid()) {
                g = gm.mirror(); // the product's float gradient
            } else { // a reader wrote data since
                g = gm.mirror();
                MirroredMatrix.toFloat(gm.data, g, n);
            }
        } else {
            if (doubleStep == null) {
                doubleStep = new float[3][n];
            }
            w = doubleStep[0];
            g = doubleStep[1];
            out = doubleStep[2];
            MirroredMatrix.toFloat(value.data, w, n);
            double[] vd = value.data;
            double[] gd = grad.data;
            double l2d = decayInGradient ? decay : 0;
            for (int i = 0; i < n; i++) { // the L2 term's gradient added in double: no float cancellation
                g[i] = (float) (l2d == 0 ? gd[i] : gd[i] + l2d * vd[i]);
            }
        }
        float flr = (float) lr;
        float l2 = decayInGradient && inFloat ? (float) decay : 0;
        int slices = Math.max(1, (n + SLICE - 1) / SLICE);
        if (sums.length < 2 * slices) {
            sums = new double[2 * slices];
        }
        double[] part = sums;
        java.util.Arrays.fill(part, 0, 2 * slices, 0);
        float[] wf = w;
        float[] gf = g;
        float[] o = out;
        java.util.function.IntConsumer slice = k -> {
            int from = k * SLICE;
            int to = Math.min(n, from + SLICE);
            loop.run(formula, wf, gf, slots.a, slots.b, from, to, flr, l2, o, part, 2 * k);
            if (o != null) { // kept in double: the updates added in double, the sums taken from the double values
                double su = 0;
                double sw = 0;
                double[] v = value.data;
                for (int i = from; i < to; i++) {
                    sw += v[i] * v[i];
                    su += (double) o[i] * o[i];
                    v[i] += o[i];
                }
                part[2 * k] = su;
                part[2 * k + 1] = sw;
            }
        };
        if (n < PARALLEL_FROM) {
            for (int k = 0; k < slices; k++) {
                slice.accept(k);
            }
        } else {
            Parallel.forEach(slices, stats.threads, slice);
        }
        double su = 0;
        double sw = 0;
        for (int k = 0; k < slices; k++) {
            su += part[2 * k];
            sw += part[2 * k + 1];
        }
        stats.updateSquares = su;
        stats.valueSquares = sw;
        if (inFloat) {
            ((MirroredMatrix) value).markFloatOnly();
        } else {
            MirroredMatrix.invalidate(value);
        }
    }

    @Override
    public String toString() {
        return name + " [" + value.numRows + "x" + value.numCols + "]";
    }
}
