package org.babysitter.engine.preprocess;

import java.lang.ref.SoftReference;
import java.util.Map;
import java.util.WeakHashMap;

import org.babysitter.engine.data.Cifar;
import org.babysitter.engine.data.ImageSet;
import org.babysitter.engine.linalg.MirroredMatrix;
import org.babysitter.engine.linalg.Parallel;
import org.ejml.data.DMatrixRMaj;

/**
 * Turns stored image bytes into rows of a data matrix X [N x 3072]: {@code x_j = (pixel_j - shift_j) * scale_j}.
 * Every choice of {@link Preprocessing} is a per-feature shift and scale fitted on the training split,
 * so conversion from bytes and normalisation are one fused pass with no intermediate copy.
 */
public final class Preprocessor {
    private final Preprocessing kind;
    private final double[] shift;
    private final double[] scale;
    private final double[] meanImage;
    private final float[] scaleF;
    private final float[] shiftTimesScaleF;
    /**
     * Per training set, its images' float rows made once (see {@link #rowsInParallel}); held softly, so the collector
     * takes them back before the heap runs out. A set whose rows did not fit, or were taken back, maps to a cleared
     * reference and is converted batch by batch from then on.
     */
    private final Map<ImageSet, SoftReference<float[]>> keptRows = new WeakHashMap<>();

    private Preprocessor(Preprocessing kind, double[] shift, double[] scale, double[] meanImage) {
        this.kind = kind;
        this.shift = shift;
        this.scale = scale;
        this.meanImage = meanImage;
        this.scaleF = new float[shift.length];
        this.shiftTimesScaleF = new float[shift.length];
        for (int j = 0; j < shift.length; j++) {
            scaleF[j] = (float) scale[j];
            shiftTimesScaleF[j] = (float) (shift[j] * scale[j]);
        }
    }

    /** Fits on the training split. */
    public static Preprocessor fit(ImageSet train, Preprocessing kind) {
        if (train.isEmpty()) {
            throw new IllegalArgumentException("cannot fit preprocessing on an empty training set");
        }
        int d = Cifar.PIXELS;
        double[] sum = new double[d];
        double[] sumSq = new double[Cifar.CHANNELS];
        for (int i = 0; i < train.size(); i++) {
            byte[] px = train.pixelArray(i);
            int off = train.pixelOffset(i);
            for (int j = 0; j < d; j++) {
                int v = px[off + j] & 0xFF;
                sum[j] += v;
            }
            if (kind == Preprocessing.CHANNEL_STANDARDIZE) {
                for (int j = 0; j < d; j++) {
                    int v = px[off + j] & 0xFF;
                    sumSq[j / Cifar.PLANE] += (double) v * v;
                }
            }
        }
        int n = train.size();
        double[] mean = new double[d];
        for (int j = 0; j < d; j++) {
            mean[j] = sum[j] / n;
        }
        double[] shift = new double[d];
        double[] scale = new double[d];
        java.util.Arrays.fill(scale, 1.0);
        switch (kind) {
            case MEAN_IMAGE -> System.arraycopy(mean, 0, shift, 0, d);
            case CHANNEL_MEAN, CHANNEL_STANDARDIZE -> {
                for (int c = 0; c < Cifar.CHANNELS; c++) {
                    double m = 0;
                    for (int j = c * Cifar.PLANE; j < (c + 1) * Cifar.PLANE; j++) {
                        m += mean[j];
                    }
                    m /= Cifar.PLANE;
                    double s = 1;
                    if (kind == Preprocessing.CHANNEL_STANDARDIZE) {
                        double var = sumSq[c] / ((double) n * Cifar.PLANE) - m * m;
                        s = 1 / Math.sqrt(Math.max(var, 1e-12));
                    }
                    for (int j = c * Cifar.PLANE; j < (c + 1) * Cifar.PLANE; j++) {
                        shift[j] = m;
                        scale[j] = s;
                    }
                }
            }
        }
        return new Preprocessor(kind, shift, scale, mean);
    }

    /** Rebuilds a preprocessor from saved statistics (a checkpoint). */
    public static Preprocessor of(Preprocessing kind, double[] shift, double[] scale) {
        if (shift.length != Cifar.PIXELS || scale.length != Cifar.PIXELS) {
            throw new IllegalArgumentException("shift and scale need " + Cifar.PIXELS + " values");
        }
        return new Preprocessor(kind, shift.clone(), scale.clone(), shift.clone());
    }

    public Preprocessing kind() {
        return kind;
    }

    /** Values per image row (3072 for CIFAR-10). */
    public int features() {
        return shift.length;
    }

    /** The per-pixel mean of the training images (0..255), for display. */
    public double[] meanImage() {
        return meanImage.clone();
    }

    public double[] shift() {
        return shift.clone();
    }

    public double[] scale() {
        return scale.clone();
    }

    /** Writes images {@code indices[0..count)} of {@code set} as rows of {@code out}, reshaped to count x 3072. */
    public void rows(ImageSet set, int[] indices, int count, DMatrixRMaj out) {
        write(set, indices, 0, count, out, 1);
    }

    /** Writes images {@code from..from+count} of {@code set} as rows of {@code out}. */
    public void rows(ImageSet set, int from, int count, DMatrixRMaj out) {
        write(set, null, from, count, out, 1);
    }

    /**
     * As {@link #rows(ImageSet, int[], int, DMatrixRMaj)}, for the trainer's batches: the rows shared out among
     * {@code threads} threads (the net's product threads) when there are enough of them (evaluation already runs
     * chunks in parallel). Each row is written by one thread with the same arithmetic, so the result does not depend
     * on the split.
     * <p>
     * Into a float-first matrix, the set's images are converted once, on the first call, and each batch copies its
     * rows from there, as a numpy training loop does with a data matrix preprocessed before it starts: a batch costs
     * a copy instead of a conversion per pixel (which Java 17's compiler does not vectorize). This takes 4 bytes a
     * pixel (600 MB for CIFAR-10's 49,000 training images) and is done only while they fit in half the heap still
     * free; the copies are the same float values the conversion gives, so a run's numbers do not depend on it.
     */
    public void rowsInParallel(ImageSet set, int[] indices, int count, DMatrixRMaj out, int threads) {
        int shared = count >= 2 * ROWS_PER_TASK ? threads : 1;
        float[] kept = out instanceof MirroredMatrix mm && mm.floatFirst() ? keptRows(set) : null;
        if (kept == null) {
            write(set, indices, 0, count, out, shared);
            return;
        }
        out.reshape(count, Cifar.PIXELS, false);
        float[] f = MirroredMatrix.mirrorOf(out);
        int d = Cifar.PIXELS;
        forEachTask(count, shared, (from, to) -> {
            for (int r = from; r < to; r++) {
                System.arraycopy(kept, indices[r] * d, f, r * d, d);
            }
        });
        ((MirroredMatrix) out).markFloatOnly();
    }

    /** The float rows of all of {@code set}, made on the first call if they fit; null if they do not (or no more). */
    float[] keptRows(ImageSet set) {
        synchronized (keptRows) {
            SoftReference<float[]> ref = keptRows.get(set);
            if (ref != null) {
                return ref.get();
            }
            long bytes = 4L * set.size() * Cifar.PIXELS;
            Runtime rt = Runtime.getRuntime();
            float[] rows = null;
            if (fitsKept(bytes, rt.maxMemory(), rt.totalMemory() - rt.freeMemory())) {
                rows = new float[set.size() * Cifar.PIXELS];
                float[] into = rows;
                forEachTask(set.size(), Runtime.getRuntime().availableProcessors(), (from, to) -> {
                    for (int i = from; i < to; i++) {
                        rowFloat(set, i, into, i * Cifar.PIXELS);
                    }
                });
            }
            keptRows.put(set, new SoftReference<>(rows));
            return rows;
        }
    }

    /**
     * Whether a set's float rows of {@code bytes} are kept, with {@code used} of a heap of {@code max} taken: when they
     * take at most half of what is free (and fit one Java array).
     */
    static boolean fitsKept(long bytes, long max, long used) {
        return bytes / 4 < Integer.MAX_VALUE - 8 && bytes <= (max - used) / 2;
    }

    /** Runs {@code task} over rows [0, count) in runs of {@link #ROWS_PER_TASK}, on at most {@code threads} threads. */
    private static void forEachTask(int count, int threads, RowRange task) {
        int tasks = (count + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        Parallel.forEach(tasks, threads, t -> task.run(t * ROWS_PER_TASK, Math.min(count, (t + 1) * ROWS_PER_TASK)));
    }

    @FunctionalInterface
    private interface RowRange {
        void run(int from, int to);
    }

    /** Rows per parallel task: ~100 KB of pixels, well above what forking one costs. */
    static final int ROWS_PER_TASK = 32;

    /**
     * Images {@code indices[i]} (or {@code from + i} without indices), i &lt; count, into the rows of {@code out}.
     * A {@link MirroredMatrix#floatFirst() float-first} matrix gets its float copy only, computed in float
     * ({@code pixel * scale - shift * scale}); any other gets {@code data}, and its float copy in the same pass if
     * it keeps one.
     */
    private void write(ImageSet set, int[] indices, int from, int count, DMatrixRMaj out, int threads) {
        out.reshape(count, Cifar.PIXELS, false);
        MirroredMatrix floatOnly = out instanceof MirroredMatrix mm && mm.floatFirst() ? mm : null;
        float[] f = MirroredMatrix.mirrorOf(out);
        forEachTask(count, threads, (start, end) -> {
            for (int r = start; r < end; r++) {
                int image = indices == null ? from + r : indices[r];
                if (floatOnly != null) {
                    rowFloat(set, image, f, r * Cifar.PIXELS);
                } else {
                    row(set, image, out.data, f, r * Cifar.PIXELS);
                }
            }
        });
        if (floatOnly != null) {
            floatOnly.markFloatOnly();
        } else {
            MirroredMatrix.validate(out);
        }
    }

    /** One image into a row of the float copy only, in float arithmetic (twice the lanes of double). */
    private void rowFloat(ImageSet set, int image, float[] mirror, int at) {
        byte[] px = set.pixelArray(image);
        int off = set.pixelOffset(image);
        float[] sc = scaleF;
        float[] sh = shiftTimesScaleF;
        for (int j = 0; j < Cifar.PIXELS; j++) {
            mirror[at + j] = (px[off + j] & 0xFF) * sc[j] - sh[j];
        }
    }

    /** One image into a row; into the float copy too when the matrix keeps one (same pass, no second read). */
    private void row(ImageSet set, int image, double[] out, float[] mirror, int at) {
        byte[] px = set.pixelArray(image);
        int off = set.pixelOffset(image);
        double[] sh = shift;
        double[] sc = scale;
        if (mirror == null) {
            for (int j = 0; j < Cifar.PIXELS; j++) {
                out[at + j] = ((px[off + j] & 0xFF) - sh[j]) * sc[j];
            }
        } else {
            for (int j = 0; j < Cifar.PIXELS; j++) {
                double v = ((px[off + j] & 0xFF) - sh[j]) * sc[j];
                out[at + j] = v;
                mirror[at + j] = (float) v;
            }
        }
    }
}
