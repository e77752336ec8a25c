package org.babysitter.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.babysitter.engine.data.Cifar;
import org.babysitter.engine.data.ImageSet;
import org.babysitter.engine.data.RecordStore;
import org.babysitter.engine.linalg.EjmlGemm;
import org.babysitter.engine.model.Mode;
import org.babysitter.engine.model.Net;
import org.babysitter.engine.model.WeightInit;
import org.babysitter.engine.model.loss.LossKind;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.preprocess.Preprocessor;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Accuracy and loss over whole sets, in chunks (in parallel past one chunk), checked on a net whose predictions are
 * known: its scores are the images' first ten pixels, and image i lights pixel {@code i % 10}; every third image is
 * labelled with the next class, so exactly the others are right.
 */
class EvaluatorTest {
    static final Preprocessor IDENTITY = Preprocessor.of(Preprocessing.MEAN_IMAGE, new double[Cifar.PIXELS], ones());

    static double[] ones() {
        double[] a = new double[Cifar.PIXELS];
        java.util.Arrays.fill(a, 1);
        return a;
    }

    static boolean right(int i) {
        return i % 3 != 0;
    }

    static ImageSet images(int n) {
        RecordStore store = new RecordStore();
        SplittableRandom random = new SplittableRandom(n);
        byte[] pixels = new byte[Cifar.PIXELS];
        for (int i = 0; i < n; i++) {
            for (int j = 10; j < pixels.length; j++) {
                pixels[j] = (byte) random.nextInt(256);
            }
            java.util.Arrays.fill(pixels, 0, 10, (byte) 0);
            pixels[i % 10] = (byte) 200;
            store.append(pixels, 0, right(i) ? i % 10 : (i + 1) % 10);
        }
        return store.trim().all();
    }

    /** Scores = the first ten pixels. */
    static Net pixelReader() {
        Net net = Net.builder(Cifar.PIXELS, new EjmlGemm(false), 1).affine(10, WeightInit.LECTURE, true)
                .build(LossKind.SOFTMAX, "first ten pixels");
        double[] w = net.weights().get(0).value().data;
        java.util.Arrays.fill(w, 0);
        for (int c = 0; c < 10; c++) {
            w[c * 10 + c] = 0.01;
        }
        return net;
    }

    static int expectedRight(int[] indices, int count) {
        int right = 0;
        for (int k = 0; k < count; k++) {
            right += right(indices[k]) ? 1 : 0;
        }
        return right;
    }

    @Test
    void accuracyCountsEveryImageOnceInOneChunkOrMany() {
        Evaluator evaluator = new Evaluator(pixelReader(), IDENTITY);
        // 1 chunk, exactly 1 chunk, 1 chunk + 1 image, several chunks in parallel
        for (int n : new int[] {7, Evaluator.CHUNK, Evaluator.CHUNK + 1, 3 * Evaluator.CHUNK + 17}) {
            ImageSet set = images(n);
            int[] all = java.util.stream.IntStream.range(0, n).toArray();
            assertEquals((double) expectedRight(all, n) / n, evaluator.accuracy(set), 1e-15, n + " images");
        }
        assertTrue(Double.isNaN(evaluator.accuracy(images(3).slice(0, 0))), "an empty set has no accuracy");
    }

    @Test
    void theConfusionMatrixCountsEachImageUnderItsTrueAndGivenClassOverManyChunks() {
        Evaluator evaluator = new Evaluator(pixelReader(), IDENTITY);
        int n = 2 * Evaluator.CHUNK + 31;
        ImageSet set = images(n);
        java.util.List<String> names = java.util.stream.IntStream.range(0, 10).mapToObj(c -> "c" + c).toList();
        org.babysitter.engine.metrics.Confusion c = evaluator.confusion(set, names);
        int[][] expected = new int[10][10];
        for (int i = 0; i < n; i++) {
            int given = i % 10; // the lit pixel
            int label = right(i) ? given : (given + 1) % 10;
            expected[label][given]++;
        }
        for (int t = 0; t < 10; t++) {
            assertArrayEquals(expected[t], c.counts()[t], "true class " + t);
        }
        assertEquals(n, c.total());
        assertEquals(evaluator.accuracy(set), c.accuracy(), 1e-15);
        // class 1: images i = 1 (mod 10) that are right, and images of pixel 0 labelled 1 (every third), all given 0
        assertEquals((double) expected[1][1] / (expected[1][1] + expected[1][0]), c.accuracy(1), 1e-15);
    }

    @Test
    void accuracyOnChosenImagesUsesThoseImages() {
        Evaluator evaluator = new Evaluator(pixelReader(), IDENTITY);
        ImageSet set = images(1300);
        // only right images, then only wrong ones, then a mix over more than two chunks
        int[] rightOnes = java.util.stream.IntStream.range(0, 1300).filter(EvaluatorTest::right).toArray();
        int[] wrongOnes = java.util.stream.IntStream.range(0, 1300).filter(i -> !right(i)).toArray();
        assertEquals(1.0, evaluator.accuracy(set, rightOnes, 40));
        assertEquals(0.0, evaluator.accuracy(set, wrongOnes, 40));
        int[] mixed = new int[1200];
        for (int k = 0; k < mixed.length; k++) {
            mixed[k] = (k * 7 + 3) % 1300;
        }
        assertEquals((double) expectedRight(mixed, 1200) / 1200, evaluator.accuracy(set, mixed, 1200), 1e-15);
        assertEquals((double) expectedRight(mixed, 501) / 501, evaluator.accuracy(set, mixed, 501), 1e-15);
    }

    @ParameterizedTest
    @ValueSource(ints = {2 * Evaluator.CHUNK, 2 * Evaluator.CHUNK + 150})
    void theLossIsTheMeanOverAllImagesPlusTheL2TermAndLeavesBatchNormAsItWas(int n) {
        // a net with batch norm: training-mode passes move the running averages, the evaluation must put them back
        Net net = Net.builder(Cifar.PIXELS, new EjmlGemm(false), 2).affine(6, WeightInit.gaussian(1e-3), false).batchNorm()
                .affine(10, WeightInit.gaussian(1e-2), true).build(LossKind.SOFTMAX, "bn");
        ImageSet set = images(n);
        double[][] before = net.buffers().stream().map(b -> b.values().clone()).toArray(double[][]::new);
        double loss = new Evaluator(net, IDENTITY).loss(set, 0.3);
        for (int i = 0; i < before.length; i++) {
            assertArrayEquals(before[i], net.buffers().get(i).values(), 0, net.buffers().get(i).name());
        }
        // chunk by chunk as the evaluator does: each chunk's mean weighted by its size
        DMatrixRMaj x = new DMatrixRMaj(1, 1);
        double sum = 0;
        for (int from = 0; from < n; from += Evaluator.CHUNK) {
            int len = Math.min(Evaluator.CHUNK, n - from);
            IDENTITY.rows(set, from, len, x);
            int[] y = new int[len];
            for (int i = 0; i < len; i++) {
                y[i] = set.label(from + i);
            }
            sum += net.loss(x, y, 0, Mode.TRAIN) * len;
        }
        double expected = sum / n + net.regularizationLoss(0.3);
        assertTrue(net.regularizationLoss(0.3) > 1e-9);
        assertEquals(expected, loss, 1e-12 * expected);
    }
}
