package org.babysitter.app.session;

import java.util.List;

import org.babysitter.engine.data.Cifar;
import org.babysitter.engine.data.Dataset;
import org.babysitter.engine.data.ImageSet;

/**
 * What the data panel shows of a data set, computed off the FX thread: words, class counts, a sample image of
 * each class and the mean image, all as ARGB pixels ready for a WritableImage.
 */
public record DataSummary(String source, String split, int trainSize, List<String> classNames, int[] trainClassCounts,
                          List<Sample> samples, int[] meanImageArgb) {
    public DataSummary {
        classNames = List.copyOf(classNames);
        samples = List.copyOf(samples);
    }

    /** One image with its label. */
    public record Sample(int[] argb, String label) {
    }

    /** The first {@code perClass} training images of each class, and the mean image. */
    public static DataSummary of(Dataset d, double[] meanImage, int perClass) {
        List<Sample> samples = new java.util.ArrayList<>();
        ImageSet train = d.train();
        for (int c = 0; c < d.classCount(); c++) {
            int found = 0;
            for (int i = 0; i < train.size() && found < perClass; i++) {
                if (train.label(i) == c) {
                    samples.add(new Sample(argb(train, i), d.classNames().get(c)));
                    found++;
                }
            }
        }
        int[] mean = new int[Cifar.PLANE];
        for (int p = 0; p < Cifar.PLANE; p++) {
            mean[p] = pack((int) Math.round(meanImage[p]), (int) Math.round(meanImage[Cifar.PLANE + p]),
                    (int) Math.round(meanImage[2 * Cifar.PLANE + p]));
        }
        return new DataSummary(d.source(), d.describeSplit(), train.size(), d.classNames(), train.classCounts(d.classCount()), samples, mean);
    }

    /** Image {@code i} as ARGB, row by row (CIFAR stores channel planes). */
    public static int[] argb(ImageSet set, int i) {
        int[] out = new int[Cifar.PLANE];
        byte[] px = set.pixelArray(i);
        int off = set.pixelOffset(i);
        for (int p = 0; p < Cifar.PLANE; p++) {
            out[p] = pack(px[off + p] & 0xFF, px[off + Cifar.PLANE + p] & 0xFF, px[off + 2 * Cifar.PLANE + p] & 0xFF);
        }
        return out;
    }

    private static int pack(int r, int g, int b) {
        return 0xFF000000 | clamp(r) << 16 | clamp(g) << 8 | clamp(b);
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
