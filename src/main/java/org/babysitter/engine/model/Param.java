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
 * <li>an update rule steps the values through {@link #step}, block by block in double precision, with the rule's
 * per-entry state ({@link Slots}) kept by this class.</li>
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
    /** Entries per block: a rule's formula runs over one block of doubles at a time (they stay in L1). */
    public static final int BLOCK = 512;

    private static final ThreadLocal<Block[]> BLOCKS = ThreadLocal.withInitial(() -> new Block[] {new Block(false), new Block(true)});

    private final String name;
    private final DMatrixRMaj value;
    private final DMatrixRMaj grad;
    private final boolean regularized;
    private final boolean inFloat;
    private double[] sums = new double[2];

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

    /** Per-entry state an update rule keeps for one param (velocities, squared-gradient caches), and its step count. */
    public static final class Slots {
        private final int count;
        private final double[][] doubles;
        private final float[][] floats;
        private long steps;

        private Slots(int count, int size, boolean inFloat) {
            this.count = count;
            this.doubles = inFloat ? null : new double[count][size];
            this.floats = inFloat ? new float[count][size] : null;
        }

        /** Steps taken with this state. */
        public long steps() {
            return steps;
        }
    }

    /** {@code count} zeroed per-entry state arrays for a rule, in this param's precision. */
    public Slots newSlots(int count) {
        return new Slots(count, size(), inFloat);
    }

    /**
     * One block of a step, for a rule's formula: the values {@code w} (read only), the gradient {@code dw} (with the
     * L2 term already added unless the rule decays weights itself), the rule's per-entry state {@code slot(j)} and a
     * scratch block {@code temp()}. The formula returns the update, a state slot or the scratch block, and
     * {@code w += update} follows. All views in the param's precision (see {@link Vec}), over the same entries.
     */
    public static final class Block {
        private final boolean inFloat;
        private final Vec w;
        private final Vec dw;
        private final Vec temp;
        private Vec[] slots = new Vec[0];
        private double lr;
        private double decay;
        private long t;

        private Block(boolean inFloat) {
            this.inFloat = inFloat;
            this.w = vec();
            this.dw = vec();
            this.temp = vec();
        }

        private Vec vec() {
            return inFloat ? new FloatVec() : new DoubleVec();
        }

        /** Room for {@code count} state slots, every block of length {@code n}. */
        private void prepare(int count, int n) {
            if (slots.length != count) {
                slots = new Vec[count];
                for (int j = 0; j < count; j++) {
                    slots[j] = vec();
                }
            }
            length(w, n);
            length(dw, n);
            length(temp, n);
            for (Vec v : slots) {
                length(v, n);
            }
        }

        private static void length(Vec v, int n) {
            if (v instanceof FloatVec f) {
                f.n = n;
            } else {
                ((DoubleVec) v).n = n;
            }
        }

        /** The values before this step; the formula only reads them (AdamW's decay). */
        public Vec w() {
            return w;
        }

        /** The gradient to follow. */
        public Vec dw() {
            return dw;
        }

        /** The rule's per-entry state number {@code j}, updated in place. */
        public Vec slot(int j) {
            return slots[j];
        }

        /** A scratch block the formula may fill and return as the update. */
        public Vec temp() {
            return temp;
        }

        /** The learning rate. */
        public double lr() {
            return lr;
        }

        /** The L2 strength that applies to this param (0 for biases): in {@code dw} already, or for the rule to apply. */
        public double decay() {
            return decay;
        }

        /** Steps taken with this state, this one included (1 on the first): Adam's bias correction. */
        public long t() {
            return t;
        }
    }

    /** A rule's formula over one block: returns the update to add to the values. */
    @FunctionalInterface
    public interface Formula {
        Vec update(Block b);
    }

    /** What a step measured: sums of squares of the update and of the values before it. */
    public static final class StepStats {
        /** sum of (update)^2. */
        public double updateSquares;
        /** sum of (value before the update)^2. */
        public double valueSquares;

        /** norm(update) / norm(value before): the lecture's ratio, about 1e-3 when the learning rate is right; NaN for all zeros. */
        public double ratio() {
            return valueSquares == 0 ? Double.NaN : Math.sqrt(updateSquares / valueSquares);
        }
    }

    /**
     * One update of the values: block by block, {@code formula} computes the update from a {@link Block} over the
     * values, gradient and {@code slots} in this param's precision, and {@code w += update}. {@code decay} (the L2
     * strength, 0 for a param that is not regularized) is added to the gradient as {@code decay * w} unless
     * {@code decayInGradient} is false (a rule with decoupled weight decay applies it itself). Large params are
     * stepped in fixed slices in parallel; the sums of squares are added per slice and then in slice order, so the
     * result does not depend on which thread ran which slice: the same run, bit for bit.
     */
    public void step(Slots slots, double lr, double decay, boolean decayInGradient, Formula formula, StepStats stats) {
        int n = size();
        slots.steps++;
        float[] gf = null;
        if (inFloat) {
            MirroredMatrix v = (MirroredMatrix) value;
            if (!v.mirrorValid()) { // data was written since the last step (a restore): take it
                MirroredMatrix.toFloat(v.data, v.mirror(), n);
                v.markMirrorValid();
            }
            MirroredMatrix g = (MirroredMatrix) grad;
            gf = g.mirrorValid() ? g.mirror() : null; // the product's float gradient, unless a reader wrote data since
        }
        float[] gF = gf;
        int slices = Math.max(1, (n + SLICE - 1) / SLICE);
        if (sums.length < 2 * slices) {
            sums = new double[2 * slices];
        }
        double[] out = sums;
        double l2 = decayInGradient ? decay : 0;
        if (n < PARALLEL_FROM) {
            for (int k = 0; k < slices; k++) {
                slice(k, n, slots, lr, decay, l2, formula, gF, out);
            }
        } else {
            Parallel.forEach(slices, k -> slice(k, n, slots, lr, decay, l2, formula, gF, out));
        }
        double su = 0;
        double sw = 0;
        for (int k = 0; k < slices; k++) {
            su += out[2 * k];
            sw += out[2 * k + 1];
        }
        stats.updateSquares = su;
        stats.valueSquares = sw;
        if (inFloat) {
            ((MirroredMatrix) value).markFloatOnly();
        } else {
            MirroredMatrix.invalidate(value);
        }
    }

    /**
     * Slice {@code k}, block by block: values, gradient and the rule's state are copied into the thread's block, the L2
     * term's gradient added, the formula run, {@code sum(w^2)} and {@code sum(update^2)} measured, the update added, and
     * values and state copied back. Every part is a plain loop over at most {@value #BLOCK} entries in the param's
     * precision, which the JIT vectorizes.
     */
    private void slice(int k, int n, Slots s, double lr, double decay, double l2, Formula formula, float[] gf,
                       double[] out) {
        Block b = BLOCKS.get()[inFloat ? 1 : 0];
        b.lr = lr;
        b.decay = decay;
        b.t = s.steps;
        double su = 0;
        double sw = 0;
        float[] vf = inFloat ? ((MirroredMatrix) value).mirror() : null;
        for (int from = k * SLICE, end = Math.min(n, (k + 1) * SLICE); from < end; from += BLOCK) {
            int len = Math.min(BLOCK, end - from);
            b.prepare(s.count, len);
            if (inFloat) {
                System.arraycopy(vf, from, ((FloatVec) b.w).a, 0, len);
                if (gf != null) {
                    System.arraycopy(gf, from, ((FloatVec) b.dw).a, 0, len);
                } else {
                    MirroredMatrix.toFloat(grad.data, from, ((FloatVec) b.dw).a, len);
                }
                for (int j = 0; j < s.count; j++) {
                    System.arraycopy(s.floats[j], from, ((FloatVec) b.slots[j]).a, 0, len);
                }
            } else {
                System.arraycopy(value.data, from, ((DoubleVec) b.w).a, 0, len);
                System.arraycopy(grad.data, from, ((DoubleVec) b.dw).a, 0, len);
                for (int j = 0; j < s.count; j++) {
                    System.arraycopy(s.doubles[j], from, ((DoubleVec) b.slots[j]).a, 0, len);
                }
            }
            if (l2 != 0) {
                b.dw.add(l2, b.w);
            }
            Vec update = formula.update(b);
            if (inFloat) {
                sw += ((FloatVec) b.w).sumOfSquares();
                su += ((FloatVec) update).sumOfSquares();
                b.w.add(1, update);
                System.arraycopy(((FloatVec) b.w).a, 0, vf, from, len);
                for (int j = 0; j < s.count; j++) {
                    System.arraycopy(((FloatVec) b.slots[j]).a, 0, s.floats[j], from, len);
                }
            } else {
                sw += ((DoubleVec) b.w).sumOfSquares();
                su += ((DoubleVec) update).sumOfSquares();
                b.w.add(1, update);
                System.arraycopy(((DoubleVec) b.w).a, 0, value.data, from, len);
                for (int j = 0; j < s.count; j++) {
                    System.arraycopy(((DoubleVec) b.slots[j]).a, 0, s.doubles[j], from, len);
                }
            }
        }
        out[2 * k] = su;
        out[2 * k + 1] = sw;
    }

    @Override
    public String toString() {
        return name + " [" + value.numRows + "x" + value.numCols + "]";
    }
}
