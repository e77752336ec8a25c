package org.babysitter.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.linalg.Gemms;
import org.babysitter.engine.linalg.MirroredMatrix;
import org.babysitter.engine.linalg.OneDnn;
import org.babysitter.engine.linalg.OneDnnConv;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A single-precision conv on oneDNN's passes against the same conv on im2col and products: the same output, input
 * gradient and parameter gradients (to float rounding), the same bits for the same batch however the cache was used
 * before, and no input gradient for a first layer. Skipped where the bundled oneDNN does not load.
 */
class OneDnnConvTest {
    private static Gemm single;

    @BeforeAll
    static void oneDnnLoads() {
        assumeTrue(OneDnn.load().loaded(), () -> "oneDNN did not load: " + OneDnn.load().problem());
        single = Gemms.byName("java-blas-f32");
    }

    private static DMatrixRMaj random(int rows, int cols, SplittableRandom r, double scale) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = (r.nextDouble() * 2 - 1) * scale;
        }
        return m;
    }

    private static Conv conv(Volume in, int filters, int k, int s, int p, boolean bias, boolean direct, DMatrixRMaj wv,
                             DMatrixRMaj bv) {
        Conv c = new Conv(Param.zeros("W1", wv.numRows, wv.numCols, true, true),
                bias ? Param.zeros("b1", 1, filters, false, true) : null, in, k, s, p, single, direct);
        c.weights().value().setTo(wv);
        if (bias) {
            c.params().get(1).value().setTo(bv);
        }
        return c;
    }

    private static double[] doubles(DMatrixRMaj m) {
        assertNotNull(MirroredMatrix.onlyInFloat(m), "passed on in float only");
        MirroredMatrix.ensureData(m);
        return m.data.clone();
    }

    /** The values of a matrix however it holds them (im2col's dx of a strided conv is in double). */
    private static double[] values(DMatrixRMaj m) {
        MirroredMatrix.ensureData(m);
        return m.data.clone();
    }

    /** Within float rounding of values of the size of {@code expected}'s largest. */
    private static void assertClose(double[] expected, double[] actual, String what) {
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(scale > 0, what + " is all zeros: the comparison would prove nothing");
        assertArrayEquals(expected, actual, 2e-5 * scale, what);
    }

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(new Volume(3, 32, 32), 16, 5, 1, 2, true), // ConvNetJS's three convolutions
                Arguments.of(new Volume(16, 16, 16), 20, 5, 1, 2, true),
                Arguments.of(new Volume(20, 8, 8), 20, 5, 1, 2, true),
                Arguments.of(new Volume(2, 7, 7), 3, 3, 2, 1, true), // stride 2
                Arguments.of(new Volume(1, 6, 9), 2, 3, 3, 0, true), // stride 3, no padding, not square
                Arguments.of(new Volume(4, 5, 5), 6, 3, 1, 1, false)); // no bias (before batch norm)
    }

    @ParameterizedTest(name = "{0} {1} filters k{2} s{3} p{4} bias {5}")
    @MethodSource("shapes")
    void oneDnnGivesIm2colsValuesAndGradients(Volume in, int filters, int k, int s, int p, boolean bias) {
        SplittableRandom r = new SplittableRandom(5);
        DMatrixRMaj wv = random(in.channels() * k * k, filters, r, 0.3);
        DMatrixRMaj bv = random(1, filters, r, 0.5);
        Conv direct = conv(in, filters, k, s, p, bias, true, wv, bv);
        Conv im2col = conv(in, filters, k, s, p, bias, false, wv, bv);
        DMatrixRMaj x = random(7, in.size(), r, 1);
        DMatrixRMaj dout = random(7, direct.output().size(), r, 1);
        Layer.Cache cd = direct.newCache();
        Layer.Cache ci = im2col.newCache();
        cd.setInputGradient(true);
        ci.setInputGradient(true);
        double[] outD = doubles(direct.forward(x, Mode.TRAIN, cd));
        assertNotNull(((Conv.Cache) cd).direct, "the single-precision conv went to oneDNN");
        assertNull(((Conv.Cache) ci).direct, "the comparison went through im2col");
        assertClose(values(im2col.forward(x, Mode.TRAIN, ci)), outD, "output");
        double[] dxD = doubles(direct.backward(dout, cd));
        assertClose(values(im2col.backward(dout, ci)), dxD, "dx");
        assertClose(im2col.weights().grad().data, direct.weights().grad().data, "dW");
        if (bias) {
            assertClose(im2col.params().get(1).grad().data, direct.params().get(1).grad().data, "db");
        }
    }

    @Test
    void theSameBatchGivesTheSameBitsWhateverTheCacheRanBefore() {
        // primitives are kept per batch size, the oldest dropped: a batch size met again, its primitives made anew,
        // and a cache that ran other batches must all give a fresh cache's bits
        SplittableRandom r = new SplittableRandom(8);
        Volume in = new Volume(3, 8, 8);
        Conv conv = conv(in, 4, 5, 1, 2, true, true, random(75, 4, r, 0.5), random(1, 4, r, 0.5));
        DMatrixRMaj x = random(5, in.size(), r, 1);
        DMatrixRMaj dout = random(5, conv.output().size(), r, 1);
        Layer.Cache fresh = conv.newCache();
        fresh.setInputGradient(true);
        double[] out = doubles(conv.forward(x, Mode.TRAIN, fresh));
        double[] dx = doubles(conv.backward(dout, fresh));
        double[] dw = conv.weights().grad().data.clone();
        double[] db = conv.params().get(1).grad().data.clone();

        Layer.Cache used = conv.newCache();
        used.setInputGradient(true);
        for (int n : new int[] {5, 1, 2, 3, 4, 6, 5}) { // six sizes: more than are kept
            DMatrixRMaj other = random(n, in.size(), r, 100);
            conv.forward(other, Mode.TRAIN, used);
            conv.backward(random(n, conv.output().size(), r, 100), used);
        }
        assertArrayEquals(out, doubles(conv.forward(x, Mode.TRAIN, used)));
        assertArrayEquals(dx, doubles(conv.backward(dout, used)));
        assertArrayEquals(dw, conv.weights().grad().data);
        assertArrayEquals(db, conv.params().get(1).grad().data);
    }

    @Test
    void aFirstLayerGetsItsWeightsGradientAndNoInputGradient() {
        SplittableRandom r = new SplittableRandom(9);
        Volume in = new Volume(3, 8, 8);
        DMatrixRMaj wv = random(75, 4, r, 0.5);
        DMatrixRMaj bv = random(1, 4, r, 0.5);
        Conv first = conv(in, 4, 5, 1, 2, true, true, wv, bv);
        Conv inner = conv(in, 4, 5, 1, 2, true, true, wv, bv);
        DMatrixRMaj x = random(3, in.size(), r, 1);
        DMatrixRMaj dout = random(3, first.output().size(), r, 1);
        Layer.Cache c1 = first.newCache();
        c1.setInputGradient(false); // as Net sets it for its first layer
        Layer.Cache c2 = inner.newCache();
        c2.setInputGradient(true);
        first.forward(x, Mode.TRAIN, c1);
        inner.forward(x, Mode.TRAIN, c2);
        assertNull(first.backward(dout, c1));
        assertNotNull(inner.backward(dout, c2));
        assertArrayEquals(inner.weights().grad().data, first.weights().grad().data);
        assertArrayEquals(inner.params().get(1).grad().data, first.params().get(1).grad().data);
    }

    @Test
    void theIm2colPropertyKeepsConvolutionsOffOneDnn() {
        String before = System.getProperty(OneDnn.PROPERTY);
        try {
            System.setProperty(OneDnn.PROPERTY, "im2col");
            assertTrue(OneDnnConv.create(3, 8, 8, 4, 5, 1, 2, 8, 8).isEmpty());
            System.setProperty(OneDnn.PROPERTY, "onednn");
            assertTrue(OneDnnConv.create(3, 8, 8, 4, 5, 1, 2, 8, 8).isPresent());
        } finally {
            if (before == null) {
                System.clearProperty(OneDnn.PROPERTY);
            } else {
                System.setProperty(OneDnn.PROPERTY, before);
            }
        }
        assertEquals("oneDNN 3.11.0", OneDnn.load().version());
    }
}
