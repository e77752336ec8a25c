package org.babysitter.engine.train.optim;

import java.util.IdentityHashMap;
import java.util.Map;

import org.babysitter.engine.linalg.MirroredMatrix;
import org.babysitter.engine.linalg.Parallel;
import org.babysitter.engine.model.Param;

/**
 * The one contract of every parameter update rule.
 * <p>
 * {@link #apply(Param, double, double, Stats)} changes {@code p.value()} in place, in one pass over the param:
 * <ul>
 * <li>the gradient it follows is {@code p.grad()} plus, for a regularized param (a weight matrix),
 * {@code reg * p.value()}: the gradient of the L2 term {@code 0.5 * reg * sum(W^2)}, added in the same pass
 * instead of a separate one over the weights;</li>
 * <li>the learning rate is an argument, not state, so it can change between any two steps;</li>
 * <li>it fills {@link Stats} with the sums of squares of the update and of the value before it: their square
 * roots' ratio is the lecture's norm(update)/norm(W) (about 1e-3 when the learning rate is right), and the
 * latter also gives the L2 term of this step's loss without another pass;</li>
 * <li>a param {@link Param#inFloat() kept in float} (a weight, under a backend that multiplies in single
 * precision) is stepped in float: values, gradient, the rule's own state and the arithmetic (the sums of
 * squares are added up in double, block by block); every other param in double.</li>
 * </ul>
 * Everything else a rule remembers between steps (velocities, squared-gradient caches, step counts) it owns,
 * per param, created on first use, in the param's precision; a rule instance belongs to one run.
 * <p>
 * Each rule writes its own two loops (float and double, the same shape: formula, sums of squares) rather than
 * passing a per-entry function to a shared one: a shared loop calling five rules' functions is a megamorphic
 * call per entry, which the JIT does not inline, and these loops run over millions of entries every iteration.
 * Each loop reads one kind of array and has no branch inside, so its compiled form does not depend on which
 * params the JIT saw first (a loop that chose between a float and a double gradient per entry ran 2.5 times
 * slower in some runs than in others).
 */
public abstract class UpdateRule {
    private final Map<Param, State> state = new IdentityHashMap<>();

    /** What one update measured; reused from call to call. */
    public static final class Stats {
        /** sum of (update)^2. */
        public double updateSquares;
        /** sum of (value before the update)^2. */
        public double valueSquares;

        /** norm(update) / norm(value before); NaN when the value was all zeros. */
        public double ratio() {
            return valueSquares == 0 ? Double.NaN : Math.sqrt(updateSquares / valueSquares);
        }

        protected void set(double update, double value) {
            updateSquares = update;
            valueSquares = value;
        }
    }

    /** Applies one update to {@code p} (see the class comment); {@code stats} receives the sums of squares. */
    public abstract void apply(Param p, double learningRate, double reg, Stats stats);

    /** One update following {@code p.grad()} as it is; returns norm(update) / norm(p before). */
    public final double apply(Param p, double learningRate) {
        Stats s = new Stats();
        apply(p, learningRate, 0, s);
        return s.ratio();
    }

    /** The rule's name and hyperparameters, e.g. "momentum 0.9". */
    public abstract String describe();

    /** Entries per slice of a parallel pass. */
    static final int SLICE = 1 << 15;
    /** Params smaller than this are updated on the calling thread: forking costs more than it saves. */
    static final int PARALLEL_FROM = 2 * SLICE;

    /** Entries per block: the unit a rule's loop runs over, and sums its squares over in its own precision. */
    static final int BLOCK = 512;

    /**
     * One block of a rule's pass: updates entries {@code [from, to)} (at most {@link #BLOCK}) and adds their sums of
     * squares to {@code sums[2 * slice]} (update) and {@code sums[2 * slice + 1]} (value before). A float loop sums a
     * block in float (exact enough over 512 entries, and it keeps the loop vectorized), the blocks in double.
     */
    @FunctionalInterface
    protected interface Slice {
        void run(int from, int to, double[] sums, int slice);
    }

    private double[] sums = new double[2];

    /**
     * Runs a pass over {@code n} entries in fixed slices, in parallel for large params (the pass is bound by memory
     * bandwidth, which two cores share better than one uses), and adds the slices' sums in slice order, so the
     * result does not depend on which thread ran which slice, nor on the param's size: the same run, bit for bit.
     */
    protected final void pass(int n, Slice slice, Stats stats) {
        int slices = Math.max(1, (n + SLICE - 1) / SLICE);
        if (sums.length < 2 * slices) {
            sums = new double[2 * slices];
        }
        double[] out = sums;
        if (n < PARALLEL_FROM) {
            for (int k = 0; k < slices; k++) {
                slice(n, k, slice, out);
            }
        } else {
            Parallel.forEach(slices, k -> slice(n, k, slice, out));
        }
        double su = 0;
        double sw = 0;
        for (int k = 0; k < slices; k++) {
            su += out[2 * k];
            sw += out[2 * k + 1];
        }
        stats.set(su, sw);
    }

    /** Slice {@code k} of a pass over {@code n} entries, block by block, its sums into {@code sums[2k..2k+1]}. */
    private static void slice(int n, int k, Slice slice, double[] sums) {
        sums[2 * k] = 0;
        sums[2 * k + 1] = 0;
        for (int from = k * SLICE, end = Math.min(n, (k + 1) * SLICE); from < end; from += BLOCK) {
            slice.run(from, Math.min(end, from + BLOCK), sums, k);
        }
    }

    /**
     * What a rule remembers about one param: arrays the size of the param, in its precision ({@code floats} for a
     * param kept in float, else {@code slots}; the other is null), and a step count.
     */
    protected static final class State {
        public final double[][] slots;
        public final float[][] floats;
        public long steps;

        State(int slots, int size, boolean inFloat) {
            this.slots = inFloat ? null : new double[slots][size];
            this.floats = inFloat ? new float[slots][size] : null;
        }
    }

    /** This rule's state for {@code p}, with {@code slots} zeroed arrays the first time. */
    protected final State state(Param p, int slots) {
        return state.computeIfAbsent(p, k -> new State(slots, k.size(), k.inFloat()));
    }

    /** The L2 strength that applies to {@code p}: {@code reg} for weights, 0 for the rest. */
    protected static double l2(Param p, double reg) {
        return p.regularized() ? reg : 0;
    }

    /** Ends a pass that wrote {@code p.value().data}: a float copy of it, if any, is stale now. */
    protected static void doubleValuesWritten(Param p) {
        MirroredMatrix.invalidate(p.valueBuffer());
    }
}
