package org.babysitter.engine.gradcheck;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

import org.babysitter.engine.model.Net;
import org.babysitter.engine.model.Param;
import org.ejml.data.DMatrixRMaj;

/**
 * Compares analytic gradients with numerical ones, the lecture's way: relative error
 * {@code |a - n| / max(1e-8, |a| + |n|)} per entry, the largest over a random sample of each tensor's entries, read in
 * the lecture's {@linkplain Band bands}. Three things keep the verdict honest:
 * <ul>
 * <li><b>A step per tensor.</b> h is chosen relative to the tensor's scale (the rms of its values, 1 if they are all
 * 0): among {@code scale * 1e-1 .. scale * 1e-7} by decades, then half a decade either side of the best, the step
 * where the centred difference's expected error (one standard deviation of round-off plus truncation, as in the floor
 * below), relative and largest over the sampled entries, is smallest. Too large a step and truncation shows (a
 * batch-norm net is scale-invariant in its weights: h must be small next to |W|); too small and the loss's rounding
 * does (tiny weights, tiny gradients). Only numerical derivatives take part, so the choice cannot hide a wrong
 * analytic gradient. At most a tenth of the entries may pass a kink at the chosen step.</li>
 * <li><b>Kinks detected, not guessed.</b> An entry whose evaluations at x-2h, x-h, x, x+h, x+2h do not all have the
 * same {@linkplain Objective#kinkSides() kink sides} (a ReLU input or an SVM margin changed sign) is left out and
 * counted.</li>
 * <li><b>A floor per entry.</b> How far a correct analytic gradient may be from the centred difference n2:
 * {@code |a - n2| <= |n2 - n4| + |n4 - a|}, where {@code |n2 - n4|} is the centred difference's truncation error as the
 * 4-point one n4 (error O(h^4)) measures it, and {@code |n4 - a|} is n4's rounding error, bounded by
 * {@code 4 * noise / h}. The noise is the loss's rounding noise, measured twice: from its 4th differences
 * {@code f(x+2h) - 4f(x+h) + 6f(x) - 4f(x-h) + f(x-2h)} (at a small step nearly pure noise, of variance
 * {@code 70 noise^2}), and from the loss at an off-grid point {@code x + 0.618 h} against the degree-4 interpolation
 * of the other five. An error within the floor is no evidence of a bug; an error above both 1e-7 and the floor is.</li>
 * </ul>
 */
public final class GradientCheck {
    /** The lecture's step, for a fixed-step check. */
    public static final double DEFAULT_H = 1e-5;
    /** The floor of the relative error's denominator, {@code max(1e-8, |a| + |n|)}. */
    public static final double DENOMINATOR_FLOOR = 1e-8;
    /** Candidate steps are the tensor's scale times 10^-k for k in 1..this, by decades. */
    static final int DECADES = 7;
    /**
     * The floor's round-off part is this times noise / h: the centred difference's rounding error has a standard
     * deviation of noise / (sqrt(2) h), the 4-point one's 0.95 noise / h, so 4 is over 4 of either.
     */
    static final double NOISE_SIGMAS = 4;

    /**
     * An extra point between x and x+h, at an irrational fraction of h: x-2h .. x+2h are exact multiples of one
     * another when x is 0 (a bias at init), and their rounding errors can be alike enough for the 4th difference to
     * miss them.
     */
    static final double OFF_GRID = 0.6180339887498949;
    /** Lagrange weights of the points -2, -1, 0, 1, 2 at OFF_GRID: the degree-4 interpolation there. */
    private static final double[] OFF_GRID_WEIGHTS = lagrangeWeights(new double[] {-2, -1, 0, 1, 2}, OFF_GRID);

    private GradientCheck() {
    }

    /** How to check: a step chosen per tensor ({@link #auto}) or one fixed step, and which entries. */
    public record Options(int maxEntries, long seed, double fixedStep) {
        public Options {
            if (maxEntries < 1) {
                throw new IllegalArgumentException("check at least one entry per tensor, got " + maxEntries);
            }
            if (!(fixedStep >= 0) || Double.isInfinite(fixedStep)) {
                throw new IllegalArgumentException("the step h must be positive, got " + fixedStep);
            }
        }

        /** h chosen per tensor, up to {@code maxEntries} entries per tensor drawn with {@code seed}. */
        public static Options auto(int maxEntries, long seed) {
            return new Options(maxEntries, seed, 0);
        }

        /** The same step {@code h} for every tensor (the lecture's 1e-5, say): no choice made. */
        public static Options fixedStep(double h, int maxEntries, long seed) {
            if (!(h > 0)) {
                throw new IllegalArgumentException("the step h must be positive, got " + h);
            }
            return new Options(maxEntries, seed, h);
        }

        public boolean isAuto() {
            return fixedStep == 0;
        }
    }

    /** Relative error of one pair. */
    public static double relativeError(double analytic, double numeric) {
        return Math.abs(analytic - numeric) / Math.max(DENOMINATOR_FLOOR, Math.abs(analytic) + Math.abs(numeric));
    }

    /** The largest relative error over pairs. */
    public static double relativeError(double[] analytic, double[] numeric) {
        if (analytic.length != numeric.length) {
            throw new IllegalArgumentException("lengths differ: " + analytic.length + " vs " + numeric.length);
        }
        double max = 0;
        for (int i = 0; i < analytic.length; i++) {
            max = Math.max(max, relativeError(analytic[i], numeric[i]));
        }
        return max;
    }

    /**
     * Numerical partial derivatives of {@code f} with respect to {@code x[indices[k]]}: each entry is moved
     * by the difference's steps, f evaluated, and the entry restored.
     */
    public static double[] numericalGradient(DoubleSupplier f, double[] x, int[] indices, double h, Difference difference) {
        double[] out = new double[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            double saved = x[i];
            out[k] = difference.derivative(v -> {
                x[i] = v;
                return f.getAsDouble();
            }, saved, h);
            x[i] = saved;
        }
        return out;
    }

    /** All indices of an array of {@code n}, or {@code max} distinct ones drawn with {@code random} if n is larger. */
    public static int[] sampleIndices(int n, int max, SplittableRandom random) {
        if (n <= max) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        return random.ints(0, n).distinct().limit(max).toArray();
    }

    /** Checks every param of a net on a batch, reg on (see {@link Objective#of}). */
    public static List<TensorCheck> check(Net net, DMatrixRMaj x, int[] labels, double reg, Options options) {
        return check(Objective.of(net, x, labels, reg), options);
    }

    /** Checks every param of an objective: one {@link TensorCheck} per param, in order. */
    public static List<TensorCheck> check(Objective objective, Options options) {
        objective.begin();
        try {
            objective.lossAndGradients();
            List<Param> params = objective.params();
            List<double[]> analytic = new ArrayList<>();
            for (Param p : params) {
                analytic.add(p.grad().data.clone());
            }
            double f0 = objective.loss();
            List<BitSet> sides0 = objective.kinkSides();
            SplittableRandom random = new SplittableRandom(options.seed());
            List<TensorCheck> result = new ArrayList<>();
            for (int t = 0; t < params.size(); t++) {
                Param p = params.get(t);
                int[] idx = sampleIndices(p.size(), options.maxEntries(), random);
                Probe probe = new Probe(objective, p, idx, f0, sides0);
                double scale = scale(p.value().data);
                Steps steps = options.isAuto() ? chooseStep(probe, scale) : probe.at(options.fixedStep());
                probe.offGrid(steps);
                result.add(steps.toCheck(p, analytic.get(t), scale));
            }
            return result;
        } finally {
            objective.end();
        }
    }

    /** The rms of the values, or 1 if they are all 0 (biases at init). */
    static double scale(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        double rms = Math.sqrt(s / Math.max(1, v.length));
        return rms > 0 && Double.isFinite(rms) ? rms : 1;
    }

    /** Decades from scale/10 down, then half a decade either side of the best (never above scale/10). */
    static Steps chooseStep(Probe probe, double scale) {
        List<Steps> decades = new ArrayList<>();
        for (int k = 1; k <= DECADES; k++) {
            decades.add(probe.at(scale * Math.pow(10, -k)));
        }
        // entries where the loss does not move at any step that stays clear of kinks (a dead unit's weights) tell
        // nothing about the step
        boolean[] dead = new boolean[probe.idx.length];
        for (int k = 0; k < dead.length; k++) {
            int entry = k;
            dead[k] = decades.stream().allMatch(s -> s.nearKink[entry] || s.flat(entry));
        }
        decades.forEach(s -> s.skip = dead);
        Steps best = best(decades, probe.allowedKinks());
        List<Steps> around = new ArrayList<>();
        double up = best.h * Math.sqrt(10);
        if (up <= scale * 0.1 * (1 + 1e-9)) {
            around.add(probe.at(up));
        }
        around.add(best);
        around.add(probe.at(best.h / Math.sqrt(10)));
        around.forEach(s -> s.skip = dead);
        return best(around, probe.allowedKinks());
    }

    /**
     * The candidate whose numerical derivative is most precise: the smallest {@linkplain Steps#score() largest error},
     * among those with at most {@code allowedKinks} entries near a kink; if none is, among those with the fewest.
     * Ties keep the larger step.
     */
    static Steps best(List<Steps> candidates, int allowedKinks) {
        List<Steps> allowed = candidates.stream().filter(s -> s.kinks() <= allowedKinks).toList();
        if (allowed.isEmpty()) {
            int fewest = candidates.stream().mapToInt(Steps::kinks).min().orElseThrow();
            allowed = candidates.stream().filter(s -> s.kinks() == fewest).toList();
        }
        List<Steps> sorted = new ArrayList<>(allowed);
        sorted.sort(Comparator.comparingDouble((Steps s) -> -s.h));
        Steps best = sorted.get(0);
        for (Steps s : sorted) {
            if (s.score() < best.score()) {
                best = s;
            }
        }
        return best;
    }

    /** Evaluates a tensor's sampled entries at x+-h and x+-2h for a given h. */
    static final class Probe {
        private final Objective objective;
        private final Param param;
        private final int[] idx;
        private final double f0;
        private final List<BitSet> sides0;

        Probe(Objective objective, Param param, int[] idx, double f0, List<BitSet> sides0) {
            this.objective = objective;
            this.param = param;
            this.idx = idx;
            this.f0 = f0;
            this.sides0 = sides0;
        }

        /** At most a tenth of the entries may be near a kink at a chosen step. */
        int allowedKinks() {
            return idx.length / 10;
        }

        Steps at(double h) {
            int n = idx.length;
            Steps s = new Steps(h, idx, f0);
            double[] offsets = {h, -h, 2 * h, -2 * h};
            for (int k = 0; k < n; k++) {
                int i = idx[k];
                double saved = param.value().data[i];
                double[] f = new double[4];
                boolean kink = false;
                for (int j = 0; j < 4; j++) {
                    param.value().data[i] = saved + offsets[j];
                    f[j] = objective.loss();
                    kink |= !sides0.equals(objective.kinkSides());
                }
                param.value().data[i] = saved;
                s.fp1[k] = f[0];
                s.fm1[k] = f[1];
                s.fp2[k] = f[2];
                s.fm2[k] = f[3];
                s.nearKink[k] = kink;
            }
            return s;
        }

        /** Adds the loss at x + OFF_GRID * h for each entry of a chosen step, for {@link Steps#noise()}. */
        void offGrid(Steps s) {
            s.fOff = new double[idx.length];
            for (int k = 0; k < idx.length; k++) {
                int i = idx[k];
                double saved = param.value().data[i];
                param.value().data[i] = saved + OFF_GRID * s.h;
                s.fOff[k] = objective.loss();
                param.value().data[i] = saved;
            }
        }
    }

    static double[] lagrangeWeights(double[] nodes, double at) {
        double[] w = new double[nodes.length];
        for (int j = 0; j < nodes.length; j++) {
            double l = 1;
            for (int m = 0; m < nodes.length; m++) {
                if (m != j) {
                    l *= (at - nodes[m]) / (nodes[j] - nodes[m]);
                }
            }
            w[j] = l;
        }
        return w;
    }

    /** A tensor's sampled entries evaluated at one step. */
    static final class Steps {
        final double h;
        final int[] idx;
        final double[] fp1;
        final double[] fm1;
        final double[] fp2;
        final double[] fm2;
        final boolean[] nearKink;
        /** The loss at x + OFF_GRID * h, measured for the chosen step only. */
        double[] fOff;
        final double f0;
        private double score = Double.NaN;
        /** Entries the score leaves out: those where the loss moved at no candidate step. */
        boolean[] skip;

        Steps(double h, int[] idx, double f0) {
            this.h = h;
            this.f0 = f0;
            this.idx = idx;
            int n = idx.length;
            fp1 = new double[n];
            fm1 = new double[n];
            fp2 = new double[n];
            fm2 = new double[n];
            nearKink = new boolean[n];
        }

        int kinks() {
            int c = 0;
            for (boolean b : nearKink) {
                c += b ? 1 : 0;
            }
            return c;
        }

        double oneSided(int k) {
            return (fp1[k] - f0) / h;
        }

        double centred(int k) {
            return (fp1[k] - fm1[k]) / (2 * h);
        }

        double fourPoint(int k) {
            // the differences first, so a flat f gives exactly 0
            return (8 * (fp1[k] - fm1[k]) - (fp2[k] - fm2[k])) / (12 * h);
        }

        /** The loss did not change at all within x+-2h (a dead unit's weights): no noise to measure there. */
        boolean flat(int k) {
            return fp1[k] == f0 && fm1[k] == f0 && fp2[k] == f0 && fm2[k] == f0;
        }

        /** The 4th difference: h^4 f'''' plus noise of 70 times the loss's noise variance. */
        double fourthDifference(int k) {
            return fp2[k] - 4 * fp1[k] + 6 * f0 - 4 * fm1[k] + fm2[k];
        }

        /**
         * The centred difference's expected error, largest over the entries away from kinks, relative to
         * {@code |2-sided| + |4-sided|}: one standard deviation of round-off (from the measured noise) plus truncation
         * (their disagreement); where the loss did not move, {@code |2-sided| + |4-sided|} is 0 and the relative error's
         * 1e-8 takes its place, so a step too small to move the loss scores badly. Entries that are {@link #skip}ped
         * (the loss moved at no step) are left out; 0 if only they are left, infinite if every entry is near a kink.
         */
        double score() {
            if (Double.isNaN(score)) {
                double roundOff = noise() / (Math.sqrt(2) * h);
                double worst = -1;
                boolean any = false;
                for (int k = 0; k < idx.length; k++) {
                    if (nearKink[k]) {
                        continue;
                    }
                    any = true;
                    if (skip == null || !skip[k]) {
                        double c = centred(k);
                        double f = fourPoint(k);
                        worst = Math.max(worst, (Math.abs(c - f) + roundOff)
                                / Math.max(DENOMINATOR_FLOOR, Math.abs(c) + Math.abs(f)));
                    }
                }
                score = !any ? Double.POSITIVE_INFINITY : Math.max(worst, 0);
            }
            return score;
        }

        /**
         * The loss's rounding noise, a standard deviation, from two measurements over the entries away from kinks
         * (and from entries where the loss did not move): the rms of the 4th differences over sqrt(70), and, once
         * {@link Probe#offGrid} has run, the rms of the loss at x + 0.618 h minus the degree-4 interpolation of the
         * five points there, over its standard deviation in units of the noise; the larger, and at least half of the
         * loss's last digit (its final rounding alone is 0.29 of it).
         */
        double noise() {
            double fourth = 0;
            double off = 0;
            int count = 0;
            double offScale = 1;
            for (double w : OFF_GRID_WEIGHTS) {
                offScale += w * w;
            }
            for (int k = 0; k < idx.length; k++) {
                if (!nearKink[k] && !flat(k)) {
                    double d = fourthDifference(k);
                    fourth += d * d;
                    if (fOff != null) {
                        double p = OFF_GRID_WEIGHTS[0] * fm2[k] + OFF_GRID_WEIGHTS[1] * fm1[k] + OFF_GRID_WEIGHTS[2] * f0
                                + OFF_GRID_WEIGHTS[3] * fp1[k] + OFF_GRID_WEIGHTS[4] * fp2[k];
                        off += (fOff[k] - p) * (fOff[k] - p);
                    }
                    count++;
                }
            }
            double measured = count == 0 ? 0 : Math.max(Math.sqrt(fourth / count / 70), Math.sqrt(off / count / offScale));
            return Math.max(measured, Math.ulp(f0) / 2);
        }

        TensorCheck toCheck(Param p, double[] analytic, double scale) {
            double noise = noise();
            double roundOff = NOISE_SIGMAS * noise / h; // >= 4 sigma of either difference's rounding (0.71, 0.95 noise/h)
            List<EntryCheck> entries = new ArrayList<>();
            for (int k = 0; k < idx.length; k++) {
                double c = centred(k);
                double four = fourPoint(k);
                entries.add(new EntryCheck(idx[k], analytic[idx[k]], oneSided(k), c, four, nearKink[k], roundOff,
                        Math.abs(c - four)));
            }
            return new TensorCheck(p.name(), p.rows(), p.cols(), scale, h, noise, entries);
        }
    }
}
