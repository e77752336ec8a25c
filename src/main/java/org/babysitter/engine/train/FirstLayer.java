package org.babysitter.engine.train;

import java.util.ArrayList;
import java.util.List;

import org.babysitter.engine.model.Param;

/**
 * The classic picture of what a net learned: each first-layer unit's weights as a colour image, each image stretched
 * to its own range, as cs231n's visualize_grid does. A fully connected net's unit reads a whole 32x32 image (3,072
 * weights, channel-planar: 1,024 red, 1,024 green, 1,024 blue); a convolution's filter reads a k x k patch (3k^2
 * weights, laid out the same way). A smooth, coloured template means the unit learned; noise means it did not yet.
 */
public final class FirstLayer {
    private FirstLayer() {
    }

    /**
     * One square image per unit (column of {@code w1}), at most {@code max}, as ARGB pixels row by row, side
     * {@link #side}; an empty list when a column is not an RGB square (a net on other inputs).
     */
    public static List<int[]> images(Param w1, int max) {
        int side = side(w1.rows());
        if (side == 0) {
            return List.of();
        }
        int plane = side * side;
        double[] w = w1.value().data.clone();
        int units = Math.min(max, w1.cols());
        List<int[]> out = new ArrayList<>(units);
        for (int j = 0; j < units; j++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < w1.rows(); i++) {
                double v = w[i * w1.cols() + j];
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            double scale = hi > lo ? 255 / (hi - lo) : 0;
            int[] img = new int[plane];
            for (int p = 0; p < plane; p++) {
                int r = (int) Math.round((w[p * w1.cols() + j] - lo) * scale);
                int g = (int) Math.round((w[(plane + p) * w1.cols() + j] - lo) * scale);
                int b = (int) Math.round((w[(2 * plane + p) * w1.cols() + j] - lo) * scale);
                img[p] = 0xFF000000 | r << 16 | g << 8 | b;
            }
            out.add(img);
        }
        return out;
    }

    /** The side of the RGB square a unit of {@code rows} weights reads (32 for 3,072, 5 for a 5x5 filter's 75), else 0. */
    public static int side(int rows) {
        int side = (int) Math.round(Math.sqrt(rows / 3.0));
        return side > 0 && 3 * side * side == rows ? side : 0;
    }
}
