package org.babysitter.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;

import org.babysitter.engine.gradcheck.Difference;
import org.babysitter.engine.gradcheck.GradientCheck;
import org.babysitter.engine.linalg.EjmlGemm;
import org.babysitter.engine.model.loss.LossKind;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every layer's backward against centred differences of {@code f(x) = sum(forward(x) * dout)}, in double:
 * relative error below 1e-6 for dx and for every parameter.
 */
class LayerGradientTest {
    private static final double TOLERANCE = 1e-6;

    static Stream<Arguments> layers() {
        SplittableRandom r = new SplittableRandom(7);
        DMatrixRMaj w = random(6, 4, r, 0.5);
        return Stream.of(
                Arguments.of("affine", new Affine(new Param("W1", w, true), new Param("b1", random(1, 4, r, 0.5), false),
                        new EjmlGemm(false)), 6),
                Arguments.of("affine (threaded gemm)", new Affine(new Param("W1", random(6, 4, r, 0.5), true),
                        new Param("b1", random(1, 4, r, 0.5), false), new EjmlGemm(true)), 6),
                Arguments.of("affine without bias", new Affine(new Param("W1", random(6, 4, r, 0.5), true), null,
                        new EjmlGemm(false)), 6),
                Arguments.of("relu", new Elementwise.Relu(1), 5),
                Arguments.of("leaky relu", new Elementwise.LeakyRelu(0.01, 1), 5),
                Arguments.of("tanh", new Elementwise.Tanh(1), 5),
                Arguments.of("sigmoid", new Elementwise.Sigmoid(1), 5),
                Arguments.of("batch norm", withRandomGammaBeta(new BatchNorm("1", 5), r), 5),
                Arguments.of("dropout", new Dropout(0.4, new SplittableRandom(3)), 5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void backwardMatchesCentredDifferences(String name, Layer layer, int width) {
        SplittableRandom r = new SplittableRandom(11);
        DMatrixRMaj x = random(4, width, r, 1.0);
        // keep inputs away from ReLU's kink so x +- h never crosses it
        for (int i = 0; i < x.data.length; i++) {
            if (Math.abs(x.data[i]) < 0.05) {
                x.data[i] += 0.1;
            }
        }
        assertBackwardMatchesCentredDifferences(name, layer, x, r, TOLERANCE);
    }

    /**
     * dx and every param's gradient of {@code layer} at {@code x} against centred differences of
     * {@code sum(forward(x) * dout)} for a random dout, below {@code tolerance}; no x +- h may change the layer's kink
     * sides (ReLU's signs, pooling's maxima). Dropout keeps one mask throughout.
     */
    static void assertBackwardMatchesCentredDifferences(String name, Layer layer, DMatrixRMaj x, SplittableRandom r,
                                                        double tolerance) {
        Layer.Cache cache = layer.newCache();
        cache.freezeRandomness(true); // dropout: the same mask for every evaluation
        DMatrixRMaj out = layer.forward(x, Mode.TRAIN, cache);
        DMatrixRMaj dout = random(out.numRows, out.numCols, r, 1.0);
        DMatrixRMaj dx = layer.backward(dout, cache).copy();
        java.util.BitSet sides = layer.kinkSides(cache);
        DoubleSupplier f = () -> {
            DMatrixRMaj o = layer.forward(x, Mode.TRAIN, cache);
            double s = 0;
            for (int i = 0; i < o.data.length; i++) {
                s += o.data[i] * dout.data[i];
            }
            return s;
        };
        double[] numericDx = GradientCheck.numericalGradient(f, x.data, all(x.data.length), 1e-5, Difference.CENTERED);
        double errDx = GradientCheck.relativeError(dx.data, numericDx);
        assertTrue(errDx < tolerance, name + " dx relative error " + errDx);
        layer.forward(x, Mode.TRAIN, cache);
        assertEquals(sides, layer.kinkSides(cache), name + ": no kink crossed");
        layer.backward(dout, cache);
        for (Param p : layer.params()) {
            double[] analytic = p.grad().data.clone();
            double[] numeric = GradientCheck.numericalGradient(f, p.value().data, all(p.size()), 1e-5, Difference.CENTERED);
            double err = GradientCheck.relativeError(analytic, numeric);
            assertTrue(err < tolerance, name + " " + p.name() + " relative error " + err);
        }
    }

    @ParameterizedTest
    @EnumSource(LossKind.class)
    void lossGradientMatchesCentredDifferences(LossKind kind) {
        SplittableRandom r = new SplittableRandom(5);
        DMatrixRMaj scores = random(6, 4, r, 2.0);
        int[] y = {0, 3, 1, 2, 2, 1};
        DMatrixRMaj ds = new DMatrixRMaj(1, 1);
        kind.newLoss().loss(scores, y, ds);
        double[] numeric = GradientCheck.numericalGradient(() -> kind.newLoss().loss(scores, y, null), scores.data,
                all(scores.data.length), 1e-5, Difference.CENTERED);
        assertTrue(GradientCheck.relativeError(ds.data, numeric) < TOLERANCE);
    }

    @Test
    void softmaxOfZeroScoresIsLnC() {
        DMatrixRMaj scores = new DMatrixRMaj(3, 10);
        assertEquals(Math.log(10), LossKind.SOFTMAX.newLoss().loss(scores, new int[] {0, 4, 9}, null), 1e-12);
    }

    @Test
    void svmLossCountsMarginsAboveOne() {
        DMatrixRMaj scores = new DMatrixRMaj(new double[][] {{3.2, 5.1, -1.7}});
        // cs231n's example: max(0, 5.1 - 3.2 + 1) + max(0, -1.7 - 3.2 + 1) = 2.9
        assertEquals(2.9, LossKind.SVM.newLoss().loss(scores, new int[] {0}, null), 1e-12);
    }

    @Test
    void batchNormTestModeUsesRunningAverages() {
        BatchNorm bn = new BatchNorm("1", 2);
        Layer.Cache c = bn.newCache();
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1, 10}, {3, 30}});
        DMatrixRMaj train = bn.forward(x, Mode.TRAIN, c).copy();
        // train mode: each column normalised to mean 0, variance 1 (up to eps)
        assertEquals(-1, train.get(0, 0), 1e-5);
        assertEquals(1, train.get(1, 1), 1e-5);
        // running mean after one step with momentum 0.9: 0.1 * batch mean
        assertEquals(0.2, bn.buffers().get(0).values()[0], 1e-12);
        assertEquals(2.0, bn.buffers().get(0).values()[1], 1e-12);
        assertEquals(0.9 * 1 + 0.1 * 1, bn.buffers().get(1).values()[0], 1e-12);
        assertEquals(0.9 * 1 + 0.1 * 100, bn.buffers().get(1).values()[1], 1e-12);
        DMatrixRMaj test = bn.forward(x, Mode.TEST, c);
        assertEquals((1 - 0.2) / Math.sqrt(1 + 1e-5), test.get(0, 0), 1e-12);
        assertEquals((30 - 2.0) / Math.sqrt(10.9 + 1e-5), test.get(1, 1), 1e-12);
    }

    @Test
    void dropoutKeepsExpectationAndIsIdentityAtTest() {
        Dropout d = new Dropout(0.3, new SplittableRandom(1));
        Layer.Cache c = d.newCache();
        DMatrixRMaj x = new DMatrixRMaj(200, 100);
        java.util.Arrays.fill(x.data, 1.0);
        DMatrixRMaj out = d.forward(x, Mode.TRAIN, c);
        double mean = java.util.Arrays.stream(out.data).average().orElseThrow();
        long zeros = java.util.Arrays.stream(out.data).filter(v -> v == 0).count();
        assertEquals(1.0, mean, 0.02);
        assertEquals(0.3, zeros / 20000.0, 0.02);
        assertEquals(1 / 0.7, java.util.Arrays.stream(out.data).max().orElseThrow(), 1e-12);
        DMatrixRMaj test = d.forward(x, Mode.TEST, c);
        assertTrue(java.util.Arrays.stream(test.data).allMatch(v -> v == 1.0));
    }

    static BatchNorm withRandomGammaBeta(BatchNorm bn, SplittableRandom r) {
        for (Param p : bn.params()) {
            for (int i = 0; i < p.size(); i++) {
                p.value().data[i] = 0.5 + r.nextDouble();
            }
        }
        return bn;
    }

    static DMatrixRMaj random(int rows, int cols, SplittableRandom r, double std) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = std * r.nextGaussian();
        }
        return m;
    }

    static int[] all(int n) {
        return java.util.stream.IntStream.range(0, n).toArray();
    }
}
