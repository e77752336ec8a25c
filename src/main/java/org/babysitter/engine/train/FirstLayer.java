package org.babysitter.engine.train;

import java.util.ArrayList;
import java.util.List;

import org.babysitter.engine.data.Cifar;
import org.babysitter.engine.model.Param;

/**
 * The classic picture of what a net learned: each first-layer unit's 3,072 weights as a 32x32 colour image (the
 * pixels' channel-planar order: 1,024 red, 1,024 green, 1,024 blue), each image stretched to its own range, as
 * cs231n's visualize_grid does. A smooth, coloured template means the unit learned; noise means it did not yet.
 */
public final class FirstLayer {
    private FirstLayer() {
    }

    /**
     * One image per unit, at most {@code max}, as ARGB pixels row by row ({@link Cifar#WIDTH} x {@link Cifar#HEIGHT}); an
     * empty list when the weights are not a 3072-row matrix (a net on other inputs).
     */
    public static List<int[]> images(Param w1, int max) {
        if (w1.rows() != Cifar.PIXELS) {
            return List.of();
        }
        double[] w = w1.value().data.clone();
        int units = Math.min(max, w1.cols());
        List<int[]> out = new ArrayList<>(units);
        for (int j = 0; j < units; j++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < Cifar.PIXELS; i++) {
                double v = w[i * w1.cols() + j];
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            double scale = hi > lo ? 255 / (hi - lo) : 0;
            int[] img = new int[Cifar.PLANE];
            for (int p = 0; p < Cifar.PLANE; p++) {
                int r = (int) Math.round((w[p * w1.cols() + j] - lo) * scale);
                int g = (int) Math.round((w[(Cifar.PLANE + p) * w1.cols() + j] - lo) * scale);
                int b = (int) Math.round((w[(2 * Cifar.PLANE + p) * w1.cols() + j] - lo) * scale);
                img[p] = 0xFF000000 | r << 16 | g << 8 | b;
            }
            out.add(img);
        }
        return out;
    }
}
