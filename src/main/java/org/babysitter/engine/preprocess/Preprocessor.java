package org.babysitter.engine.preprocess;

import org.babysitter.engine.data.Cifar;
import org.babysitter.engine.data.ImageSet;
import org.babysitter.engine.linalg.MirroredMatrix;
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

    private Preprocessor(Preprocessing kind, double[] shift, double[] scale, double[] meanImage) {
        this.kind = kind;
        this.shift = shift;
        this.scale = scale;
        this.meanImage = meanImage;
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
        out.reshape(count, Cifar.PIXELS, false);
        float[] f = MirroredMatrix.mirrorOf(out);
        for (int r = 0; r < count; r++) {
            row(set, indices[r], out.data, f, r * Cifar.PIXELS);
        }
        MirroredMatrix.validate(out);
    }

    /** Writes images {@code from..from+count} of {@code set} as rows of {@code out}. */
    public void rows(ImageSet set, int from, int count, DMatrixRMaj out) {
        out.reshape(count, Cifar.PIXELS, false);
        float[] f = MirroredMatrix.mirrorOf(out);
        for (int r = 0; r < count; r++) {
            row(set, from + r, out.data, f, r * Cifar.PIXELS);
        }
        MirroredMatrix.validate(out);
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
