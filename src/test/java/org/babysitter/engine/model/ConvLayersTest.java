package org.babysitter.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.babysitter.engine.linalg.EjmlGemm;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Convolution, max pooling and spatial batch norm: forward against direct loops written from the definitions and
 * hand-worked cases, backward against centred differences in double (relative error below 1e-7; pooling inputs kept
 * apart so that no x +- h changes a window's maximum).
 */
class ConvLayersTest {
    private static final double TOLERANCE = 1e-7;

    private static DMatrixRMaj random(int rows, int cols, SplittableRandom r, double scale) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = (r.nextDouble() * 2 - 1) * scale;
        }
        return m;
    }

    private static Conv conv(Volume in, int filters, int kernel, int stride, int pad, SplittableRandom r) {
        return new Conv(new Param("W1", random(in.channels() * kernel * kernel, filters, r, 0.5), true),
                new Param("b1", random(1, filters, r, 0.5), false), in, kernel, stride, pad, new EjmlGemm(false));
    }

    /** out[e][f][y][x] by the definition, one multiply-add at a time. */
    private static double[] directConv(double[] x, int n, Volume in, double[] w, double[] b, int filters, int k, int s, int p) {
        int outH = (in.height() + 2 * p - k) / s + 1;
        int outW = (in.width() + 2 * p - k) / s + 1;
        double[] out = new double[n * filters * outH * outW];
        for (int e = 0; e < n; e++) {
            for (int f = 0; f < filters; f++) {
                for (int y = 0; y < outH; y++) {
                    for (int xx = 0; xx < outW; xx++) {
                        double sum = b[f];
                        for (int c = 0; c < in.channels(); c++) {
                            for (int i = 0; i < k; i++) {
                                for (int j = 0; j < k; j++) {
                                    int iy = y * s - p + i;
                                    int ix = xx * s - p + j;
                                    if (iy >= 0 && iy < in.height() && ix >= 0 && ix < in.width()) {
                                        int wRow = (c * k + i) * k + j;
                                        sum += w[wRow * filters + f] * x[e * in.size() + c * in.area() + iy * in.width() + ix];
                                    }
                                }
                            }
                        }
                        out[((e * filters + f) * outH + y) * outW + xx] = sum;
                    }
                }
            }
        }
        return out;
    }

    static Stream<Arguments> convShapes() {
        return Stream.of(
                Arguments.of(new Volume(3, 8, 8), 4, 5, 1, 2), // ConvNetJS's first layer, smaller
                Arguments.of(new Volume(2, 7, 7), 3, 3, 2, 1),
                Arguments.of(new Volume(1, 6, 9), 2, 3, 3, 0),
                Arguments.of(new Volume(3, 4, 4), 5, 1, 1, 0));
    }

    @ParameterizedTest(name = "{0} k{2} s{3} p{4}")
    @MethodSource("convShapes")
    void convolutionIsTheDefinition(Volume in, int filters, int k, int s, int p) {
        SplittableRandom r = new SplittableRandom(3);
        Conv conv = conv(in, filters, k, s, p, r);
        DMatrixRMaj x = random(3, in.size(), r, 1);
        DMatrixRMaj out = conv.forward(x, Mode.TRAIN, conv.newCache());
        double[] expected = directConv(x.data, 3, in, conv.weights().value().data, conv.params().get(1).value().data, filters, k, s, p);
        assertEquals(conv.output().size(), out.numCols);
        assertArrayEquals(expected, out.data, 1e-12);
    }

    @Test
    void anInputBatchHeldInItsFloatCopyOnlyIsReadFromIt() {
        // a single-precision backend's input batches keep their values in the float copy (MirroredMatrix)
        SplittableRandom r = new SplittableRandom(8);
        Volume in = new Volume(3, 6, 6);
        Conv conv = conv(in, 2, 3, 1, 1, r);
        DMatrixRMaj x = random(2, in.size(), r, 1);
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = (float) x.data[i];
        }
        double[] expected = conv.forward(x, Mode.TEST, conv.newCache()).data.clone();
        org.babysitter.engine.linalg.MirroredMatrix batch = org.babysitter.engine.linalg.MirroredMatrix.of(2, in.size(), true);
        float[] f = batch.mirror();
        for (int i = 0; i < x.data.length; i++) {
            f[i] = (float) x.data[i];
        }
        batch.markFloatOnly();
        assertArrayEquals(expected, conv.forward(batch, Mode.TEST, conv.newCache()).data, 1e-12);
    }

    @Test
    void aSinglePrecisionBackendGivesTheDoubleNetsLossAndGradients() {
        // the float path: im2col rows written into their float copy, float weights; against EJML in double
        NetConfig config = new NetConfig(3 * 8 * 8, java.util.List.of(6), 4, Activation.RELU, false, 0, WeightInit.he(),
                org.babysitter.engine.model.loss.LossKind.SOFTMAX, ConvStage.parse("conv 3x3x4 pad 1 pool 2, conv 2x2x5 stride 2"));
        DMatrixRMaj x = random(10, config.inputSize(), new SplittableRandom(6), 1);
        int[] y = {0, 1, 2, 3, 0, 1, 2, 3, 0, 1};
        Net exact = config.build(new EjmlGemm(false), 3);
        Net single = config.build(org.babysitter.engine.linalg.Gemms.byName("java-blas-f32"), 3);
        double lossExact = exact.lossAndGradients(x, y, 0);
        double lossSingle = single.lossAndGradients(x.copy(), y, 0);
        assertEquals(lossExact, lossSingle, 1e-5 * lossExact);
        for (int i = 0; i < exact.params().size(); i++) {
            double[] a = exact.params().get(i).grad().data;
            double[] b = single.params().get(i).grad().data;
            double scale = java.util.Arrays.stream(a).map(Math::abs).max().orElse(1);
            for (int j = 0; j < a.length; j++) {
                assertEquals(a[j], b[j], 1e-4 * scale, exact.params().get(i).name() + "[" + j + "]");
            }
        }
    }

    @Test
    void aBatchsGradientIsTheSumOfItsExamplesGradients() {
        // the sum over examples is taken in parts (MAX_PARTS) and added in part order: 19 examples cross them all
        SplittableRandom r = new SplittableRandom(12);
        Volume in = new Volume(2, 6, 6);
        Conv conv = conv(in, 3, 3, 1, 1, r);
        int n = 19;
        DMatrixRMaj x = random(n, in.size(), r, 1);
        DMatrixRMaj dout = random(n, conv.output().size(), r, 1);
        Layer.Cache cache = conv.newCache();
        conv.forward(x, Mode.TRAIN, cache);
        DMatrixRMaj dx = conv.backward(dout, cache).copy();
        double[] dw = conv.weights().grad().data.clone();
        double[] db = conv.params().get(1).grad().data.clone();
        double[] dwSum = new double[dw.length];
        double[] dbSum = new double[db.length];
        for (int e = 0; e < n; e++) {
            DMatrixRMaj xe = new DMatrixRMaj(1, in.size(), true, java.util.Arrays.copyOfRange(x.data, e * in.size(), (e + 1) * in.size()));
            DMatrixRMaj de = new DMatrixRMaj(1, dout.numCols, true, java.util.Arrays.copyOfRange(dout.data, e * dout.numCols, (e + 1) * dout.numCols));
            Layer.Cache one = conv.newCache();
            conv.forward(xe, Mode.TRAIN, one);
            DMatrixRMaj dxe = conv.backward(de, one);
            assertArrayEquals(java.util.Arrays.copyOfRange(dx.data, e * in.size(), (e + 1) * in.size()), dxe.data, 1e-12);
            for (int i = 0; i < dw.length; i++) {
                dwSum[i] += conv.weights().grad().data[i];
            }
            for (int i = 0; i < db.length; i++) {
                dbSum[i] += conv.params().get(1).grad().data[i];
            }
        }
        assertArrayEquals(dwSum, dw, 1e-10);
        assertArrayEquals(dbSum, db, 1e-10);
    }

    static Stream<Arguments> floatShapes() {
        return Stream.of(
                Arguments.of(new Volume(3, 8, 8), 5, 5, 1, 2), // the output the input's size: one shifted run per row
                Arguments.of(new Volume(2, 6, 7), 3, 3, 1, 1),
                Arguments.of(new Volume(2, 4, 4), 3, 5, 1, 2), // the filter larger than the padding leaves inside
                Arguments.of(new Volume(2, 8, 8), 3, 5, 1, 0), // narrower output: row by row
                Arguments.of(new Volume(2, 7, 7), 3, 3, 2, 1));
    }

    @ParameterizedTest(name = "{0} k{2} s{3} p{4}")
    @MethodSource("floatShapes")
    void theSinglePrecisionPathsGiveTheDoubleLayersValuesAndGradients(Volume in, int filters, int k, int s, int p) {
        SplittableRandom r = new SplittableRandom(13);
        DMatrixRMaj wv = random(in.channels() * k * k, filters, r, 0.5);
        DMatrixRMaj bv = random(1, filters, r, 0.5);
        DMatrixRMaj x = random(11, in.size(), r, 1);
        Conv exact = new Conv(new Param("W1", wv.copy(), true), new Param("b1", bv.copy(), false), in, k, s, p, new EjmlGemm(false));
        Conv single = new Conv(Param.zeros("W1", wv.numRows, wv.numCols, true, true), Param.zeros("b1", 1, filters, false, true), in, k, s, p,
                org.babysitter.engine.linalg.Gemms.byName("java-blas-f32"));
        single.weights().value().setTo(wv);
        single.params().get(1).value().setTo(bv);
        Layer.Cache ce = exact.newCache();
        Layer.Cache cs = single.newCache();
        ce.setInputGradient(true);
        cs.setInputGradient(true);
        DMatrixRMaj oe = exact.forward(x, Mode.TRAIN, ce);
        DMatrixRMaj os = single.forward(x, Mode.TRAIN, cs);
        // the output is held in float only, for the next layer to read as it is (Layer.readsFloatOnly)
        assertNotNull(org.babysitter.engine.linalg.MirroredMatrix.onlyInFloat(os));
        org.babysitter.engine.linalg.MirroredMatrix.ensureData(os);
        assertArrayEquals(oe.data, os.data, 1e-5);
        DMatrixRMaj dout = random(11, exact.output().size(), r, 1);
        DMatrixRMaj dxe = exact.backward(dout, ce);
        DMatrixRMaj dxs = single.backward(dout, cs);
        org.babysitter.engine.linalg.MirroredMatrix.ensureData(dxs);
        assertArrayEquals(dxe.data, dxs.data, 1e-5);
        assertArrayEquals(exact.weights().grad().data, single.weights().grad().data, 1e-4);
        assertArrayEquals(exact.params().get(1).grad().data, single.params().get(1).grad().data, 1e-4);
    }

    /** A float-only matrix (as a single-precision conv passes on) of values that are floats, ties and zeros among them. */
    private static org.babysitter.engine.linalg.MirroredMatrix floatOnly(DMatrixRMaj values) {
        var m = org.babysitter.engine.linalg.MirroredMatrix.floatOnly(values.numRows, values.numCols);
        float[] f = m.mirror();
        for (int i = 0; i < values.data.length; i++) {
            f[i] = (float) values.data[i];
        }
        m.markFloatOnly();
        return m;
    }

    private static DMatrixRMaj asDoubles(DMatrixRMaj m) {
        assertNotNull(org.babysitter.engine.linalg.MirroredMatrix.onlyInFloat(m), "passed on in float only");
        org.babysitter.engine.linalg.MirroredMatrix.ensureData(m);
        return m;
    }

    @Test
    void reluAndPoolingInFloatGiveTheDoublePassesValuesBitForBit() {
        // a single-precision conv net's activations stay in float between conv, ReLU and 2x2 pooling: the same values
        SplittableRandom r = new SplittableRandom(21);
        Volume in = new Volume(3, 6, 6);
        DMatrixRMaj x = random(5, in.size(), r, 1);
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = i % 7 == 0 ? 0 : i % 11 == 0 ? x.data[i - 1] : (float) x.data[i]; // zeros and ties
        }
        DMatrixRMaj dout = random(5, in.size(), r, 1);
        for (int i = 0; i < dout.data.length; i++) {
            dout.data[i] = (float) dout.data[i];
        }
        Layer relu = new Elementwise.Relu(2);
        Layer.Cache cd = relu.newCache();
        Layer.Cache cf = relu.newCache();
        assertArrayEquals(relu.forward(x, Mode.TRAIN, cd).data, asDoubles(relu.forward(floatOnly(x), Mode.TRAIN, cf)).data);
        assertArrayEquals(relu.backward(dout, cd).data, asDoubles(relu.backward(floatOnly(dout), cf)).data);
        assertArrayEquals(relu.backward(dout, cd).data, asDoubles(relu.backward(dout, cf)).data, "a double dout");
        assertEquals(relu.kinkSides(cd), relu.kinkSides(cf));

        MaxPool pool = new MaxPool(in, 2, 2, 2);
        Layer.Cache pd = pool.newCache();
        Layer.Cache pf = pool.newCache();
        assertArrayEquals(pool.forward(x, Mode.TRAIN, pd).data, asDoubles(pool.forward(floatOnly(x), Mode.TRAIN, pf)).data);
        assertEquals(pool.kinkSides(pd), pool.kinkSides(pf));
        DMatrixRMaj pout = random(5, pool.output().size(), r, 1);
        for (int i = 0; i < pout.data.length; i++) {
            pout.data[i] = (float) pout.data[i];
        }
        assertArrayEquals(pool.backward(pout, pd).data, asDoubles(pool.backward(floatOnly(pout), pf)).data);
        assertArrayEquals(pool.backward(pout, pd).data, asDoubles(pool.backward(pout, pf)).data, "a double dout");
    }

    @Test
    void aSinglePrecisionConvsBuffersReusedBatchAfterBatchGiveAFreshCachesBits() {
        // a part's column buffers are written example after example and batch after batch (their padding once):
        // a second batch through a used cache must give what a new cache gives, whatever the first batch held
        SplittableRandom r = new SplittableRandom(31);
        Volume in = new Volume(3, 8, 8);
        Conv conv = new Conv(Param.zeros("W1", 3 * 25, 4, true, true), Param.zeros("b1", 1, 4, false, true), in, 5, 1, 2,
                org.babysitter.engine.linalg.Gemms.byName("java-blas-f32"));
        conv.weights().value().setTo(random(3 * 25, 4, r, 0.5));
        DMatrixRMaj first = random(6, in.size(), r, 1000);
        DMatrixRMaj second = random(6, in.size(), r, 1);
        DMatrixRMaj dout1 = random(6, conv.output().size(), r, 1000);
        DMatrixRMaj dout2 = random(6, conv.output().size(), r, 1);
        Layer.Cache used = conv.newCache();
        used.setInputGradient(true);
        conv.forward(first, Mode.TRAIN, used);
        conv.backward(dout1, used);
        double[] out = asDoubles(conv.forward(second, Mode.TRAIN, used)).data.clone();
        double[] dx = asDoubles(conv.backward(dout2, used)).data.clone();
        double[] dw = conv.weights().grad().data.clone();
        Layer.Cache fresh = conv.newCache();
        fresh.setInputGradient(true);
        assertArrayEquals(asDoubles(conv.forward(second, Mode.TRAIN, fresh)).data, out);
        assertArrayEquals(asDoubles(conv.backward(dout2, fresh)).data, dx);
        assertArrayEquals(conv.weights().grad().data, dw);
    }

    @Test
    void aSinglePrecisionConvNetGivesTheSameBitsOnOneThreadOrSeveral() {
        NetConfig config = NetConfig.convnetjs(3 * 8 * 8, 4).withConv(ConvStage.parse("conv 3x3x4 pad 1 pool 2, conv 3x3x5 pad 1 pool 2"));
        DMatrixRMaj x = random(21, config.inputSize(), new SplittableRandom(7), 1);
        int[] y = IntStream.range(0, 21).map(i -> i % 4).toArray();
        Net one = config.build(org.babysitter.engine.linalg.Gemms.sharing("java-blas-f32", 1), 5);
        Net four = config.build(org.babysitter.engine.linalg.Gemms.sharing("java-blas-f32", 4), 5);
        assertEquals(1, one.gemm().threads());
        assertEquals(4, four.gemm().threads());
        assertEquals(one.lossAndGradients(x, y, 1e-3), four.lossAndGradients(x.copy(), y, 1e-3));
        for (int i = 0; i < one.params().size(); i++) {
            assertArrayEquals(one.params().get(i).grad().data, four.params().get(i).grad().data, one.params().get(i).name());
        }
    }

    @Test
    void aHandWorkedConvolution() {
        // one 3x3 channel 1..9, one 2x2 filter of ones, bias 0.5, stride 1, no padding: the sums of each 2x2 block
        Volume in = new Volume(1, 3, 3);
        Conv conv = new Conv(new Param("W1", new DMatrixRMaj(new double[][] {{1}, {1}, {1}, {1}}), true),
                new Param("b1", new DMatrixRMaj(new double[][] {{0.5}}), false), in, 2, 1, 0, new EjmlGemm(false));
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1, 2, 3, 4, 5, 6, 7, 8, 9}});
        assertArrayEquals(new double[] {12.5, 16.5, 24.5, 28.5}, conv.forward(x, Mode.TEST, conv.newCache()).data, 1e-12);
        assertEquals(new Volume(1, 2, 2), conv.output());
        assertEquals("conv 2x2x1: 1x3x3 -> 1x2x2", conv.describe());
    }

    @ParameterizedTest(name = "{0} k{2} s{3} p{4}")
    @MethodSource("convShapes")
    void convolutionBackwardMatchesCentredDifferences(Volume in, int filters, int k, int s, int p) {
        SplittableRandom r = new SplittableRandom(5);
        Conv conv = conv(in, filters, k, s, p, r);
        assertGradients("conv", conv, random(2, in.size(), r, 1), r);
    }

    @Test
    void maxPoolingTakesEachWindowsMaximumAndSendsItTheGradient() {
        Volume in = new Volume(1, 4, 4);
        MaxPool pool = new MaxPool(in, 2, 2);
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{
                1, 5, 2, 0,
                3, 4, 8, 7,
                -1, -2, 6, 6,
                -3, -9, 6, 9}});
        Layer.Cache c = pool.newCache();
        assertArrayEquals(new double[] {5, 8, -1, 9}, pool.forward(x, Mode.TRAIN, c).data, 0);
        DMatrixRMaj dx = pool.backward(new DMatrixRMaj(new double[][] {{10, 20, 30, 40}}), c);
        assertArrayEquals(new double[] {0, 10, 0, 0, 0, 0, 20, 0, 30, 0, 0, 0, 0, 0, 0, 40}, dx.data, 0);
        assertEquals("max pool 2x2: 1x4x4 -> 1x2x2", pool.describe());
        c.setInputGradient(false);
        assertNull(pool.backward(new DMatrixRMaj(1, 4), c));
    }

    @Test
    void maxPoolingBreaksTiesTowardsTheFirstInputRowByRow() {
        // small integers: many ties; each window's choice against a loop written from the rule, 2x2 and 3x3 windows
        SplittableRandom r = new SplittableRandom(4);
        for (int size : new int[] {2, 3}) {
            Volume in = new Volume(2, 6, 6);
            MaxPool pool = new MaxPool(in, size, size, 3);
            DMatrixRMaj x = new DMatrixRMaj(5, in.size());
            for (int i = 0; i < x.data.length; i++) {
                x.data[i] = r.nextInt(3);
            }
            Layer.Cache c = pool.newCache();
            DMatrixRMaj out = pool.forward(x, Mode.TRAIN, c);
            DMatrixRMaj ones = new DMatrixRMaj(5, pool.output().size());
            java.util.Arrays.fill(ones.data, 1);
            double[] dx = pool.backward(ones, c).data;
            double[] expectedDx = new double[dx.length];
            int o = 0;
            for (int e = 0; e < 5; e++) {
                for (int ch = 0; ch < 2; ch++) {
                    for (int oy = 0; oy < 6 / size; oy++) {
                        for (int ox = 0; ox < 6 / size; ox++, o++) {
                            int best = -1;
                            for (int i = 0; i < size; i++) {
                                for (int j = 0; j < size; j++) {
                                    int at = e * in.size() + ch * 36 + (oy * size + i) * 6 + ox * size + j;
                                    if (best < 0 || x.data[at] > x.data[best]) {
                                        best = at;
                                    }
                                }
                            }
                            assertEquals(x.data[best], out.data[o], 0);
                            expectedDx[best] += 1;
                        }
                    }
                }
            }
            assertArrayEquals(expectedDx, dx, 0, size + "x" + size);
        }
    }

    @Test
    void maxPoolingBackwardMatchesCentredDifferences() {
        Volume in = new Volume(3, 6, 6);
        SplittableRandom r = new SplittableRandom(9);
        // distinct values at least 0.01 apart: a step of 1e-5 never changes which input is a window's maximum
        int size = 2 * in.size();
        int[] order = IntStream.range(0, size).boxed().sorted((a, b) -> Integer.compare(a * 7919 % size, b * 7919 % size))
                .mapToInt(Integer::intValue).toArray();
        DMatrixRMaj x = new DMatrixRMaj(2, in.size());
        for (int i = 0; i < size; i++) {
            x.data[order[i]] = i * 0.01 - 1;
        }
        MaxPool pool = new MaxPool(in, 2, 2);
        Layer.Cache c = pool.newCache();
        pool.forward(x, Mode.TRAIN, c);
        var chosen = pool.kinkSides(c);
        assertEquals(2 * pool.output().size(), chosen.cardinality(), "one input per output");
        assertGradients("max pool", pool, x, r);
        // overlapping windows (3x3, stride 1): an input may feed several outputs
        MaxPool overlapping = new MaxPool(in, 3, 1);
        assertEquals(new Volume(3, 4, 4), overlapping.output());
        assertGradients("max pool 3x3 stride 1", overlapping, x, r);
    }

    @Test
    void spatialBatchNormNormalisesEachChannelOverExamplesAndPositions() {
        Volume v = new Volume(2, 3, 3);
        SpatialBatchNorm bn = new SpatialBatchNorm("1", v);
        SplittableRandom r = new SplittableRandom(2);
        DMatrixRMaj x = random(4, v.size(), r, 3);
        for (int e = 0; e < 4; e++) { // channel 1 shifted and scaled
            for (int q = 0; q < v.area(); q++) {
                x.data[e * v.size() + v.area() + q] = 10 + 5 * x.data[e * v.size() + v.area() + q];
            }
        }
        DMatrixRMaj y = bn.forward(x, Mode.TRAIN, bn.newCache());
        for (int ch = 0; ch < 2; ch++) {
            double sum = 0;
            double squares = 0;
            for (int e = 0; e < 4; e++) {
                for (int q = 0; q < v.area(); q++) {
                    double value = y.data[e * v.size() + ch * v.area() + q];
                    sum += value;
                    squares += value * value;
                }
            }
            assertEquals(0, sum / 36, 1e-12, "channel " + ch + " mean");
            assertEquals(1, squares / 36, 1e-4, "channel " + ch + " variance");
        }
        assertEquals(2, bn.params().get(0).size(), "one gamma per channel");
        assertEquals(2, bn.buffers().get(0).values().length, "one running mean per channel");
    }

    @Test
    void spatialBatchNormBackwardMatchesCentredDifferences() {
        Volume v = new Volume(3, 4, 4);
        SpatialBatchNorm bn = new SpatialBatchNorm("1", v);
        SplittableRandom r = new SplittableRandom(4);
        for (Param p : bn.params()) {
            DMatrixRMaj m = random(1, 3, r, 1);
            System.arraycopy(m.data, 0, p.value().data, 0, 3);
        }
        assertGradients("spatial batch norm", bn, random(3, v.size(), r, 2), r);
    }

    @Test
    void shapesThatDoNotTileAreRefusedWithTheReason() {
        var e = assertThrows(IllegalArgumentException.class, () -> Conv.outSize(32, 5, 2, 0));
        assertTrue(e.getMessage().contains("does not tile a side of 32"), e.getMessage());
        assertEquals(32, Conv.outSize(32, 5, 1, 2));
        assertEquals(16, Conv.outSize(32, 2, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new Volume(0, 3, 3));
        SplittableRandom r = new SplittableRandom(1);
        var wrong = assertThrows(IllegalArgumentException.class, () -> new Conv(new Param("W1", random(10, 4, r, 1), true),
                new Param("b1", random(1, 4, r, 1), false), new Volume(3, 8, 8), 5, 1, 2, new EjmlGemm(false)));
        assertTrue(wrong.getMessage().contains("do not fit 5x5 filters over 3x8x8"), wrong.getMessage());
    }

    private static void assertGradients(String name, Layer layer, DMatrixRMaj x, SplittableRandom r) {
        LayerGradientTest.assertBackwardMatchesCentredDifferences(name, layer, x, r, TOLERANCE);
    }
}
