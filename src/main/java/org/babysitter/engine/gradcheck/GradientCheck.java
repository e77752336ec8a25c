package org.babysitter.engine.gradcheck;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

import org.babysitter.engine.model.Net;
import org.babysitter.engine.model.Mode;
import org.babysitter.engine.model.Param;
import org.ejml.data.DMatrixRMaj;

/**
 * Compares analytic gradients with numerical ones, the lecture's way: relative error
 * {@code max_i |a_i - n_i| / max(1e-8, |a_i| + |n_i|)} per tensor, over a random sample of entries for large
 * tensors. Reading it: above 1e-2 probably wrong; 1e-2..1e-4 uncomfortable; below 1e-4 acceptable with kinks
 * (ReLU); 1e-7 and less good.
 */
public final class GradientCheck {
    /** The lecture's default step. */
    public static final double DEFAULT_H = 1e-5;

    private GradientCheck() {
    }

    /** Relative error of one pair. */
    public static double relativeError(double analytic, double numeric) {
        return Math.abs(analytic - numeric) / Math.max(1e-8, Math.abs(analytic) + Math.abs(numeric));
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

    /** The result for one parameter tensor. */
    public record ParamError(String name, int entriesChecked, int entriesTotal, double relativeError) {
    }

    /**
     * Checks every param of a net on a batch: the analytic gradients of {@link Net#lossAndGradients}
     * against numerical ones of the same loss (TRAIN mode; dropout masks frozen meanwhile).
     *
     * @param maxEntries entries sampled per tensor
     */
    public static List<ParamError> check(Net net, DMatrixRMaj x, int[] labels, double reg,
                                         Difference difference, double h, int maxEntries, long seed) {
        Net.State before = net.snapshot(); // train-mode passes move batch-norm running averages
        net.freezeRandomness(true);
        try {
            net.lossAndGradients(x, labels, reg);
            List<ParamError> result = new ArrayList<>();
            SplittableRandom random = new SplittableRandom(seed);
            for (Param p : net.params()) {
                double[] analytic = p.grad().data.clone();
                int[] idx = sampleIndices(p.size(), maxEntries, random);
                double[] numeric = numericalGradient(() -> net.loss(x, labels, reg, Mode.TRAIN),
                        p.value().data, idx, h, difference);
                double[] picked = new double[idx.length];
                for (int k = 0; k < idx.length; k++) {
                    picked[k] = analytic[idx[k]];
                }
                result.add(new ParamError(p.name(), idx.length, p.size(), relativeError(picked, numeric)));
            }
            return result;
        } finally {
            net.freezeRandomness(false);
            net.restore(before);
        }
    }
}
