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
 * <li>if the value keeps a float copy ({@link MirroredMatrix}) it is rewritten in the same pass and stays valid.</li>
 * </ul>
 * Everything else a rule remembers between steps (velocities, squared-gradient caches, step counts) it owns,
 * per param, created on first use; a rule instance belongs to one run.
 * <p>
 * Each rule writes its own loop (the same shape: formula, sums of squares, float copy) rather than passing a
 * per-entry function to a shared one: a shared loop calling five rules' functions is a megamorphic call per
 * entry, which the JIT does not inline, and these loops run over millions of entries every iteration.
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

    /**
     * One slice of a rule's pass: updates entries {@code [from, to)} and returns their sums of squares in
     * {@code sums[2 * slice]} (update) and {@code sums[2 * slice + 1]} (value before).
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
                slice.run(k * SLICE, Math.min(n, (k + 1) * SLICE), out, k);
            }
        } else {
            Parallel.forEach(slices, k -> slice.run(k * SLICE, Math.min(n, (k + 1) * SLICE), out, k));
        }
        double su = 0;
        double sw = 0;
        for (int k = 0; k < slices; k++) {
            su += out[2 * k];
            sw += out[2 * k + 1];
        }
        stats.set(su, sw);
    }

    /** What a rule remembers about one param: arrays the size of the param, and a step count. */
    protected static final class State {
        public final double[][] slots;
        public long steps;

        State(int slots, int size) {
            this.slots = new double[slots][size];
        }
    }

    /** This rule's state for {@code p}, with {@code slots} zeroed arrays the first time. */
    protected final State state(Param p, int slots) {
        return state.computeIfAbsent(p, k -> new State(slots, k.size()));
    }

    /** The L2 strength that applies to {@code p}: {@code reg} for weights, 0 for the rest. */
    protected static double l2(Param p, double reg) {
        return p.regularized() ? reg : 0;
    }

    /** The float copy to rewrite during the pass, or null. */
    protected static float[] mirror(Param p) {
        return MirroredMatrix.mirrorOf(p.value());
    }

    /** Ends a pass: the float copy, if any, now matches the values. */
    protected static void done(Param p) {
        MirroredMatrix.validate(p.value());
    }
}
