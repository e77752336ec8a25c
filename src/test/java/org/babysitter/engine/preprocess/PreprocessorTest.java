package org.babysitter.engine.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.babysitter.engine.data.Cifar;
import org.babysitter.engine.data.ImageSet;
import org.babysitter.engine.data.LoadedImages;
import org.babysitter.engine.data.RecordStore;
import org.babysitter.engine.data.SplitSpec;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The three preprocessings: statistics come from the training set only, and the rows they produce have the
 * promised per-pixel or per-channel means and standard deviations.
 */
class PreprocessorTest {
    private static final int D = Cifar.PIXELS;
    private static final int PLANE = Cifar.PLANE;

    /**
     * Random images whose channels differ (red dark, green mid, blue bright) and whose pixel positions differ,
     * plus {@code brighten} added to every pixel (clipped to 255).
     */
    static ImageSet images(int n, long seed, int brighten) {
        SplittableRandom r = new SplittableRandom(seed);
        RecordStore s = new RecordStore();
        byte[] px = new byte[D];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < D; j++) {
                int c = j / PLANE;
                int base = c * 50 + (j % PLANE) % 37;
                int v = base + r.nextInt(120) + brighten;
                px[j] = (byte) Math.min(255, v);
            }
            s.append(px, 0, i % 10);
        }
        return s.trim().all();
    }

    static DMatrixRMaj rows(Preprocessor p, ImageSet set) {
        DMatrixRMaj x = new DMatrixRMaj(1, 1);
        p.rows(set, 0, set.size(), x);
        return x;
    }

    static double[] columnMeans(DMatrixRMaj x) {
        double[] m = new double[x.numCols];
        for (int i = 0; i < x.numRows; i++) {
            for (int j = 0; j < x.numCols; j++) {
                m[j] += x.get(i, j);
            }
        }
        for (int j = 0; j < m.length; j++) {
            m[j] /= x.numRows;
        }
        return m;
    }

    /** The mean pixel value of image set at position j. */
    static double pixelMean(ImageSet set, int j) {
        double s = 0;
        for (int i = 0; i < set.size(); i++) {
            s += set.pixel(i, j);
        }
        return s / set.size();
    }

    static double channelMean(ImageSet set, int c) {
        double s = 0;
        for (int i = 0; i < set.size(); i++) {
            for (int j = c * PLANE; j < (c + 1) * PLANE; j++) {
                s += set.pixel(i, j);
            }
        }
        return s / ((double) set.size() * PLANE);
    }

    // ---------------------------------------------------------------- mean image

    @Test
    void meanImageCentresEveryTrainingColumn() {
        ImageSet train = images(40, 1, 0);
        Preprocessor p = Preprocessor.fit(train, Preprocessing.MEAN_IMAGE);
        assertEquals(Preprocessing.MEAN_IMAGE, p.kind());
        DMatrixRMaj x = rows(p, train);
        assertEquals(40, x.numRows);
        assertEquals(D, x.numCols);
        double[] m = columnMeans(x);
        for (int j = 0; j < D; j++) {
            assertEquals(0, m[j], 1e-9, "column " + j);
        }
        // values are pixel - mean, unscaled
        assertEquals(train.pixel(7, 1234) - pixelMean(train, 1234), x.get(7, 1234), 1e-12);
        for (double s : p.scale()) {
            assertEquals(1.0, s);
        }
    }

    @Test
    void meanImageOnValidationUsesTheTrainingStatistics() {
        ImageSet train = images(40, 1, 0);
        ImageSet val = images(15, 2, 60);
        Preprocessor p = Preprocessor.fit(train, Preprocessing.MEAN_IMAGE);
        DMatrixRMaj x = rows(p, val);
        for (int j : new int[] {0, 100, 1023, 1024, 2500, 3071}) {
            assertEquals(val.pixel(3, j) - pixelMean(train, j), x.get(3, j), 1e-9, "val row 3, column " + j);
        }
        // the validation rows are not centred: their own mean is ~60 above the training mean
        double[] m = columnMeans(x);
        double avg = 0;
        for (double v : m) {
            avg += v / D;
        }
        assertTrue(avg > 40 && avg < 70, "validation rows keep their offset from the training mean: " + avg);
    }

    @Test
    void meanImageIsThePerPixelTrainingMean() {
        ImageSet train = images(25, 3, 0);
        Preprocessor p = Preprocessor.fit(train, Preprocessing.MEAN_IMAGE);
        double[] mean = p.meanImage();
        double[] shift = p.shift();
        assertEquals(D, mean.length);
        for (int j = 0; j < D; j += 31) {
            assertEquals(pixelMean(train, j), mean[j], 1e-9, "pixel " + j);
            assertEquals(mean[j], shift[j], 0, "shift is the mean image");
        }
        // a pixel-dependent pattern: neighbouring pixels have different means
        assertTrue(Math.abs(mean[0] - mean[20]) > 5, "mean image is per pixel, not constant");
    }

    // ---------------------------------------------------------------- per-channel mean

    @Test
    void channelMeanSubtractsOneValuePerPlane() {
        ImageSet train = images(30, 4, 0);
        Preprocessor p = Preprocessor.fit(train, Preprocessing.CHANNEL_MEAN);
        double[] shift = p.shift();
        double[] scale = p.scale();
        double[] expected = new double[3];
        for (int c = 0; c < 3; c++) {
            expected[c] = channelMean(train, c);
            for (int j = c * PLANE; j < (c + 1) * PLANE; j++) {
                assertEquals(expected[c], shift[j], 1e-9, "shift of pixel " + j + " (channel " + c + ")");
                assertEquals(1.0, scale[j], 0, "scale of pixel " + j);
            }
        }
        assertTrue(expected[1] - expected[0] > 40 && expected[2] - expected[1] > 40,
                "the three channels have clearly different means: " + java.util.Arrays.toString(expected));
        DMatrixRMaj x = rows(p, train);
        for (int c = 0; c < 3; c++) {
            int j = c * PLANE + 500;
            assertEquals(train.pixel(2, j) - expected[c], x.get(2, j), 1e-9);
        }
        // the per-channel mean of the rows is 0, but single columns are not centred (unlike the mean image)
        double[] m = columnMeans(x);
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            for (int j = c * PLANE; j < (c + 1) * PLANE; j++) {
                sum += m[j];
            }
            assertEquals(0, sum / PLANE, 1e-9, "channel " + c);
        }
        assertTrue(Math.abs(m[0] - m[36]) > 5, "columns within a plane keep their differences");
        // the mean image is still the per-pixel mean, for display
        assertEquals(pixelMean(train, 36), p.meanImage()[36], 1e-9);
    }

    // ---------------------------------------------------------------- per-channel standardize

    @Test
    void channelStandardizeGivesZeroMeanAndUnitStdPerChannel() {
        ImageSet train = images(30, 5, 0);
        Preprocessor p = Preprocessor.fit(train, Preprocessing.CHANNEL_STANDARDIZE);
        DMatrixRMaj x = rows(p, train);
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            double sumSq = 0;
            long n = 0;
            for (int i = 0; i < x.numRows; i++) {
                for (int j = c * PLANE; j < (c + 1) * PLANE; j++) {
                    double v = x.get(i, j);
                    sum += v;
                    sumSq += v * v;
                    n++;
                }
            }
            double mean = sum / n;
            double std = Math.sqrt(sumSq / n - mean * mean);
            assertEquals(0, mean, 1e-9, "channel " + c + " mean");
            assertEquals(1, std, 1e-9, "channel " + c + " std");
        }
        // the scale is 1/std of the raw channel: pixels spread ~ +-60, so the scale is well below 1
        double[] scale = p.scale();
        assertTrue(scale[0] > 0.01 && scale[0] < 0.1, "scale " + scale[0]);
        assertEquals(scale[0], scale[PLANE - 1], 0);
        assertEquals(scale[2 * PLANE], scale[D - 1], 0);
    }

    @Test
    void channelStandardizeOnValidationUsesTheTrainingStatistics() {
        ImageSet train = images(30, 5, 0);
        ImageSet val = images(10, 6, 60);
        Preprocessor p = Preprocessor.fit(train, Preprocessing.CHANNEL_STANDARDIZE);
        double[] shift = p.shift();
        double[] scale = p.scale();
        DMatrixRMaj x = rows(p, val);
        for (int j : new int[] {5, 1500, 3000}) {
            assertEquals((val.pixel(4, j) - shift[j]) * scale[j], x.get(4, j), 1e-12);
        }
        assertEquals(channelMean(train, 1), shift[1500], 1e-9, "shift comes from the training set");
        double mean = 0;
        for (int i = 0; i < x.numRows; i++) {
            mean += x.get(i, 10) / x.numRows;
        }
        assertTrue(mean > 0.5, "brighter validation images stay above 0 after training-set centring: " + mean);
    }

    @Test
    void constantChannelDoesNotDivideByZero() {
        RecordStore s = new RecordStore();
        byte[] px = new byte[D];
        java.util.Arrays.fill(px, (byte) 77);
        s.append(px, 0, 0);
        s.append(px, 0, 1);
        Preprocessor p = Preprocessor.fit(s.trim().all(), Preprocessing.CHANNEL_STANDARDIZE);
        DMatrixRMaj x = rows(p, s.all());
        for (double v : x.data) {
            assertTrue(Double.isFinite(v), "finite values for a constant channel");
            assertEquals(0, v, 1e-6);
        }
    }

    // ---------------------------------------------------------------- rows variants

    @Test
    void rowsByIndicesAndByRangeAgree() {
        ImageSet train = images(20, 7, 0);
        for (Preprocessing kind : Preprocessing.values()) {
            Preprocessor p = Preprocessor.fit(train, kind);
            DMatrixRMaj byRange = new DMatrixRMaj(1, 1);
            p.rows(train, 5, 8, byRange);
            DMatrixRMaj byIndex = new DMatrixRMaj(1, 1);
            p.rows(train, new int[] {5, 6, 7, 8, 9, 10, 11, 12, 99}, 8, byIndex);
            assertEquals(8, byRange.numRows);
            assertEquals(8, byIndex.numRows);
            assertEquals(D, byIndex.numCols);
            assertArrayEquals(java.util.Arrays.copyOf(byRange.data, 8 * D), java.util.Arrays.copyOf(byIndex.data, 8 * D), 0,
                    kind.toString());
        }
    }

    @Test
    void rowsByIndicesFollowTheIndexOrder() {
        ImageSet train = images(10, 8, 0);
        Preprocessor p = Preprocessor.fit(train, Preprocessing.MEAN_IMAGE);
        DMatrixRMaj all = rows(p, train);
        DMatrixRMaj picked = new DMatrixRMaj(1, 1);
        int[] idx = {9, 0, 4, 4};
        p.rows(train, idx, idx.length, picked);
        for (int r = 0; r < idx.length; r++) {
            for (int j = 0; j < D; j += 17) {
                assertEquals(all.get(idx[r], j), picked.get(r, j), 0, "row " + r + " column " + j);
            }
        }
    }

    @Test
    void floatFirstRowsHoldTheSameValuesInFloatAndParallelRowsTheSameBits() {
        ImageSet train = images(150, 10, 0);
        int[] idx = new int[150];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = (i * 37) % 150;
        }
        for (Preprocessing kind : Preprocessing.values()) {
            Preprocessor p = Preprocessor.fit(train, kind);
            DMatrixRMaj exact = new DMatrixRMaj(1, 1);
            p.rows(train, idx, idx.length, exact);
            org.babysitter.engine.linalg.MirroredMatrix f = org.babysitter.engine.linalg.MirroredMatrix.of(1, 1, true);
            p.rowsInParallel(train, idx, idx.length, f, 2);
            assertTrue(f.dataStale() && f.mirrorValid(), "values in the float copy only");
            float[] values = f.mirror();
            double worst = 0;
            for (int i = 0; i < idx.length * D; i++) {
                worst = Math.max(worst, Math.abs(values[i] - exact.data[i]) / Math.max(1, Math.abs(exact.data[i])));
            }
            assertTrue(worst < 1e-5, kind + ": " + worst);
            org.babysitter.engine.linalg.MirroredMatrix serial = org.babysitter.engine.linalg.MirroredMatrix.of(1, 1, true);
            p.rows(train, idx, idx.length, serial);
            assertArrayEquals(java.util.Arrays.copyOf(serial.mirror(), idx.length * D), java.util.Arrays.copyOf(values, idx.length * D),
                    kind + ": parallel rows are the serial rows");
            // a reader of data gets the values back
            org.babysitter.engine.linalg.MirroredMatrix.ensureData(f);
            assertEquals(values[D + 5], f.get(1, 5), 0);
        }
    }

    @Test
    void aTrainingSetIsConvertedOnceAndEachBatchCopiesItsRows() {
        ImageSet train = images(40, 12, 0);
        ImageSet other = train.slice(0, 20);
        Preprocessor p = Preprocessor.fit(train, Preprocessing.CHANNEL_STANDARDIZE);
        float[] kept = p.keptRows(train);
        assertSame(kept, p.keptRows(train), "made on the first call, then reused");
        assertEquals(40 * D, kept.length);
        assertTrue(p.keptRows(other) != kept, "each set its own rows");
        org.babysitter.engine.linalg.MirroredMatrix converted = org.babysitter.engine.linalg.MirroredMatrix.of(1, 1, true);
        p.rows(train, 0, 40, converted);
        assertArrayEquals(java.util.Arrays.copyOf(converted.mirror(), 40 * D), kept, "the conversion's own floats");
        // into a double matrix (a double backend) the batch is converted in double as before, not copied from floats
        DMatrixRMaj exact = new DMatrixRMaj(1, 1);
        p.rowsInParallel(train, new int[] {3}, 1, exact, 2);
        assertEquals((train.pixel(3, 7) - p.shift()[7]) * p.scale()[7], exact.get(0, 7), 1e-12);
    }

    @Test
    void keptRowsTakeAtMostHalfOfWhatIsFree() {
        long mb = 1L << 20;
        assertTrue(Preprocessor.fitsKept(600 * mb, 2048 * mb, 800 * mb), "600 MB of 1,248 MB free");
        assertTrue(!Preprocessor.fitsKept(600 * mb, 2048 * mb, 1000 * mb), "600 MB of 1,048 MB free");
        assertTrue(!Preprocessor.fitsKept(600 * mb, 1024 * mb, 100 * mb), "a 1 GB heap");
        assertTrue(!Preprocessor.fitsKept(9L << 30, 64L << 30, 0), "more floats than one Java array holds");
    }

    @Test
    void rowsReshapesAReusedBuffer() {
        ImageSet train = images(6, 9, 0);
        Preprocessor p = Preprocessor.fit(train, Preprocessing.CHANNEL_MEAN);
        DMatrixRMaj x = new DMatrixRMaj(100, 5);
        p.rows(train, 1, 3, x);
        assertEquals(3, x.numRows);
        assertEquals(D, x.numCols);
        assertEquals(train.pixel(3, 0) - p.shift()[0], x.get(2, 0), 1e-12);
    }

    // ---------------------------------------------------------------- construction

    @Test
    void fittingOnAnEmptySetIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Preprocessor.fit(ImageSet.empty(), Preprocessing.MEAN_IMAGE));
    }

    @Test
    void ofRebuildsTheSameTransform() {
        ImageSet train = images(12, 10, 0);
        Preprocessor fitted = Preprocessor.fit(train, Preprocessing.CHANNEL_STANDARDIZE);
        Preprocessor rebuilt = Preprocessor.of(Preprocessing.CHANNEL_STANDARDIZE, fitted.shift(), fitted.scale());
        assertEquals(Preprocessing.CHANNEL_STANDARDIZE, rebuilt.kind());
        assertArrayEquals(rows(fitted, train).data, rows(rebuilt, train).data, 0);
        assertThrows(IllegalArgumentException.class, () -> Preprocessor.of(Preprocessing.MEAN_IMAGE, new double[3], new double[D]));
        assertThrows(IllegalArgumentException.class, () -> Preprocessor.of(Preprocessing.MEAN_IMAGE, new double[D], new double[D - 1]));
    }

    @Test
    void accessorsReturnCopies() {
        ImageSet train = images(5, 11, 0);
        Preprocessor p = Preprocessor.fit(train, Preprocessing.MEAN_IMAGE);
        double before = p.shift()[0];
        p.shift()[0] = 1e6;
        p.scale()[0] = 1e6;
        p.meanImage()[0] = 1e6;
        assertEquals(before, p.shift()[0]);
        assertEquals(1.0, p.scale()[0]);
        assertEquals(train.pixel(0, 0) - before, rows(p, train).get(0, 0), 1e-12);
    }

    @Test
    void preparedDataFitsOnTheTrainingSplitOnly() {
        // 100 dark training records followed by 10 bright ones that the split keeps for validation
        RecordStore s = new RecordStore();
        byte[] px = new byte[D];
        for (int i = 0; i < 110; i++) {
            java.util.Arrays.fill(px, (byte) (i < 100 ? 10 : 250));
            s.append(px, 0, i % 10);
        }
        LoadedImages loaded = new LoadedImages("t", Cifar.DEFAULT_CLASS_NAMES, s.trim().all(), null);
        PreparedData prepared = PreparedData.prepare(loaded, new SplitSpec(10, SplitSpec.ALL, SplitSpec.ALL),
                Preprocessing.MEAN_IMAGE);
        assertEquals(100, prepared.dataset().train().size());
        assertEquals(10, prepared.dataset().val().size());
        assertEquals(10.0, prepared.preprocessor().meanImage()[123], 1e-12, "the mean ignores the validation records");
        DMatrixRMaj val = rows(prepared.preprocessor(), prepared.dataset().val());
        assertEquals(240.0, val.get(0, 0), 1e-12);
        assertSame(Preprocessing.MEAN_IMAGE, prepared.preprocessor().kind());
        assertThrows(IllegalArgumentException.class, () -> new PreparedData(null, prepared.preprocessor()));
        assertEquals(List.copyOf(Cifar.DEFAULT_CLASS_NAMES), prepared.dataset().classNames());
    }
}
