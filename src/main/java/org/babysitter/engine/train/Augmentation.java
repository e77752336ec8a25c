package org.babysitter.engine.train;

import org.babysitter.engine.linalg.MirroredMatrix;
import org.babysitter.engine.model.Volume;
import org.ejml.data.DMatrixRMaj;

/**
 * Data augmentation as ConvNetJS's CIFAR-10 demo does it: each training image of a batch is flipped left to right
 * with probability 1/2 and shifted by up to {@link #MAX_SHIFT} pixels each way (what comes in at the edge is 0, the
 * mean of centred inputs). Applied to the preprocessed rows of a batch, in place.
 * <p>
 * Which flip and shift a row gets is a function of the run's seed, the iteration and the row's place in the batch
 * alone (a hash, no generator state): the same seed gives the same run, and a fork goes on with the same choices.
 */
public final class Augmentation {
    /** The largest shift, in pixels, along each axis (ConvNetJS: 2). */
    public static final int MAX_SHIFT = 2;

    private final Volume image;
    private final long seed;
    private final double[] scratch;

    public Augmentation(Volume image, long seed) {
        this.image = image;
        this.seed = seed;
        this.scratch = new double[image.size()];
    }

    /** Flips and shifts rows {@code [0, rows)} of {@code x} for iteration {@code iteration}. */
    public void apply(DMatrixRMaj x, int rows, long iteration) {
        if (x.numCols != image.size()) {
            throw new IllegalArgumentException("augmentation of " + image + " images got rows of " + x.numCols + " values");
        }
        MirroredMatrix.ensureData(x); // an input batch may hold its values in its float copy only
        for (int r = 0; r < rows; r++) {
            long h = mix(seed + iteration * 0x9E3779B97F4A7C15L + r * 0xD1B54A32D192ED03L);
            int span = 2 * MAX_SHIFT + 1;
            boolean flip = (h & 1) != 0;
            int dx = (int) ((h >>> 8) % span) - MAX_SHIFT;
            int dy = (int) ((h >>> 24) % span) - MAX_SHIFT;
            transform(x.data, r * image.size(), flip, dx, dy);
        }
        MirroredMatrix.invalidate(x);
    }

    /** Row at {@code offset}: out(c, y, x) = in(c, y - dy, x' - dx), x' = the flipped column if {@code flip}; 0 outside. */
    void transform(double[] data, int offset, boolean flip, int dx, int dy) {
        if (!flip && dx == 0 && dy == 0) {
            return;
        }
        int w = image.width();
        int h = image.height();
        System.arraycopy(data, offset, scratch, 0, image.size());
        for (int c = 0; c < image.channels(); c++) {
            int plane = c * image.area();
            for (int y = 0; y < h; y++) {
                int sy = y - dy;
                for (int xx = 0; xx < w; xx++) {
                    int sx = xx - dx;
                    double v = 0;
                    if (sy >= 0 && sy < h && sx >= 0 && sx < w) {
                        v = scratch[plane + sy * w + (flip ? w - 1 - sx : sx)];
                    }
                    data[offset + plane + y * w + xx] = v;
                }
            }
        }
    }

    /** SplitMix64's finaliser: a well-spread 64-bit hash. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
