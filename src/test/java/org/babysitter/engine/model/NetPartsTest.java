package org.babysitter.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

import org.babysitter.engine.linalg.EjmlGemm;
import org.babysitter.engine.model.loss.LossKind;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The net's parts besides their gradients (LayerGradientTest and NetGradientTest check those): what a config builds
 * and says, the layers' test-mode paths and limits, the net's predictions, kinks, snapshots and loss.
 */
class NetPartsTest {
    private static final EjmlGemm GEMM = new EjmlGemm(false);

    @Test
    void aConfigBuildsItsLayersInOrderAndDescribesThem() {
        NetConfig plain = NetConfig.lecture();
        assertEquals("3072-50-10 ReLU, gaussian std 1e-4, softmax", plain.describe());
        assertEquals(3072L * 50 + 50 + 50 * 10 + 10, plain.parameterCount());
        Net net = plain.build(GEMM, 1);
        assertEquals(plain.describe(), net.describe());
        assertEquals(List.of("affine 3072 -> 50", "relu", "affine 50 -> 10"), net.layers().stream().map(Layer::describe).toList());

        NetConfig deep = new NetConfig(12, List.of(8, 6), 4, Activation.TANH, true, 0.25, WeightInit.he(), LossKind.SVM);
        assertEquals("12-8-6-4 tanh, batch norm, dropout 0.25, He, SVM", deep.describe());
        // weights, batch norm's gamma and beta (no hidden biases), the last bias
        assertEquals(12L * 8 + 2 * 8 + 8 * 6 + 2 * 6 + 6 * 4 + 4, deep.parameterCount());
        Net d = deep.build(GEMM, 1);
        assertEquals(deep.parameterCount(), d.params().stream().mapToLong(Param::size).sum());
        assertEquals(List.of("affine 12 -> 8", "batch norm 8", "tanh", "dropout p=0.25", "affine 8 -> 6", "batch norm 6", "tanh",
                "dropout p=0.25", "affine 6 -> 4"), d.layers().stream().map(Layer::describe).toList());
        assertEquals(List.of("W1", "gamma1", "beta1", "W2", "gamma2", "beta2", "W3", "b3"),
                d.params().stream().map(Param::name).toList());
        assertEquals(List.of("running_mean1", "running_var1", "running_mean2", "running_var2"),
                d.buffers().stream().map(Layer.Buffer::name).toList());
        assertEquals(12, d.inputs());
        assertEquals(4, d.outputs());
        assertEquals("12-8-6-4 leaky ReLU, batch norm, dropout 0.25, He, SVM", deep.withActivation(Activation.LEAKY_RELU).describe());
        assertEquals("3072-50-10 sigmoid, Xavier, softmax",
                plain.withActivation(Activation.SIGMOID).withInit(WeightInit.xavier()).describe());
        assertEquals("5-50-3 ReLU, gaussian std 1e-4, softmax", plain.withShape(5, 3).describe());
        assertEquals(WeightInit.xavier(), plain.withInit(WeightInit.xavier()).init());
        assertFalse(plain.withDropout(0).describe().contains("dropout"));
        assertEquals(3, plain.withDropout(0).build(GEMM, 1).layers().size(), "no dropout layer for p = 0");
    }

    @Test
    void configsAcceptTheSmallestValidValuesAndRefuseTheirNeighbours() {
        NetConfig ok = new NetConfig(1, List.of(1), 2, Activation.RELU, false, 0, WeightInit.LECTURE, LossKind.SOFTMAX);
        assertEquals(1 * 1 + 1 + 1 * 2 + 2, ok.parameterCount());
        assertThrows(IllegalArgumentException.class, () -> ok.withShape(0, 2));
        assertThrows(IllegalArgumentException.class, () -> ok.withShape(1, 1));
        assertThrows(IllegalArgumentException.class, () -> ok.withHidden(List.of()));
        assertThrows(IllegalArgumentException.class, () -> ok.withHidden(List.of(0)));
        assertThrows(IllegalArgumentException.class, () -> ok.withDropout(-0.01));
        assertThrows(IllegalArgumentException.class, () -> ok.withDropout(1));
        assertThrows(IllegalArgumentException.class, () -> ok.withDropout(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> ok.withActivation(null));
        assertEquals(0.99, ok.withDropout(0.99).dropout());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.1, new SplittableRandom(1)));
        assertEquals(0, new Dropout(0, new SplittableRandom(1)).p());
        assertEquals(0.3, new Dropout(0.3, new SplittableRandom(1)).p());
        assertEquals(1, Net.builder(1, GEMM, 1).affine(2, WeightInit.LECTURE, true).build(LossKind.SOFTMAX, "one input").inputs());
        assertThrows(IllegalArgumentException.class, () -> Net.builder(0, GEMM, 1));
        assertThrows(IllegalStateException.class, () -> Net.builder(3, GEMM, 1).build(LossKind.SOFTMAX, "empty"));
        assertThrows(IllegalArgumentException.class, () -> WeightInit.gaussian(0));
        assertThrows(IllegalArgumentException.class, () -> WeightInit.gaussian(Double.POSITIVE_INFINITY));
    }

    @Test
    void weightInitsUseTheirStd() {
        assertEquals(0.25, WeightInit.gaussian(0.25).stdFor(100));
        assertEquals(0.1, WeightInit.xavier().stdFor(100), 1e-15);
        assertEquals(Math.sqrt(0.02), WeightInit.he().stdFor(100), 1e-15);
        assertEquals("gaussian std 0.25", WeightInit.gaussian(0.25).toString());
        assertEquals("Xavier", WeightInit.xavier().toString());
        assertEquals("He", WeightInit.he().toString());
        // He on a layer of fan-in 400: the sample std of the drawn weights
        Net net = Net.builder(400, GEMM, 3).affine(300, WeightInit.he(), true).build(LossKind.SOFTMAX, "he");
        double[] w = net.weights().get(0).value().data;
        double var = java.util.Arrays.stream(w).map(v -> v * v).average().orElseThrow();
        assertEquals(Math.sqrt(2.0 / 400), Math.sqrt(var), 0.002);
        assertTrue(java.util.Arrays.stream(net.params().get(1).value().data).allMatch(v -> v == 0), "biases start at 0");
    }

    @Test
    void activationsAreTheirFunctions() {
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{-2, 0, 0.5}});
        assertArrayEquals(new double[] {0, 0, 0.5}, forward(Activation.RELU.newLayer(), x), 0);
        assertArrayEquals(new double[] {-0.02, 0, 0.5}, forward(Activation.LEAKY_RELU.newLayer(), x), 1e-15);
        assertArrayEquals(new double[] {Math.tanh(-2), 0, Math.tanh(0.5)}, forward(Activation.TANH.newLayer(), x), 1e-15);
        assertArrayEquals(new double[] {1 / (1 + Math.exp(2)), 0.5, 1 / (1 + Math.exp(-0.5))},
                forward(Activation.SIGMOID.newLayer(), x), 1e-15);
        assertEquals("ReLU", Activation.RELU.toString());
        assertEquals("leaky relu (0.01)", Activation.LEAKY_RELU.newLayer().describe());
        assertEquals("sigmoid", Activation.SIGMOID.newLayer().describe());
        // kinks: ReLU and leaky ReLU at 0 (0 itself is on the left), none for the smooth ones
        for (Activation a : new Activation[] {Activation.RELU, Activation.LEAKY_RELU}) {
            Elementwise layer = a.newLayer();
            Layer.Cache c = layer.newCache();
            layer.forward(x, Mode.TRAIN, c);
            BitSet expected = new BitSet();
            expected.set(2);
            assertEquals(expected, layer.kinkSides(c), a.toString());
        }
        // at the kink itself the slope is the left one: ReLU passes nothing back, leaky ReLU 0.01 of it
        DMatrixRMaj dout = new DMatrixRMaj(new double[][] {{1, 1, 1}});
        Elementwise relu = Activation.RELU.newLayer();
        Layer.Cache rc = relu.newCache();
        relu.forward(x, Mode.TRAIN, rc);
        assertArrayEquals(new double[] {0, 0, 1}, relu.backward(dout, rc).data, 0);
        Elementwise leaky = Activation.LEAKY_RELU.newLayer();
        Layer.Cache lc = leaky.newCache();
        leaky.forward(x, Mode.TRAIN, lc);
        assertArrayEquals(new double[] {0.01, 0.01, 1}, leaky.backward(dout, lc).data, 1e-15);
        Elementwise tanh = Activation.TANH.newLayer();
        Layer.Cache c = tanh.newCache();
        tanh.forward(x, Mode.TRAIN, c);
        assertNull(tanh.kinkSides(c));
    }

    @Test
    void anActivationSharedBetweenThreadsGivesTheSameValuesAndGradients() {
        // a conv layer's output is large enough (>= Elementwise.SPLIT_FROM entries) for its passes to be shared
        java.util.SplittableRandom r = new java.util.SplittableRandom(2);
        DMatrixRMaj x = new DMatrixRMaj(3, Elementwise.SPLIT_FROM / 2 + 17);
        DMatrixRMaj dout = new DMatrixRMaj(x.numRows, x.numCols);
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = r.nextGaussian();
            dout.data[i] = r.nextGaussian();
        }
        for (Activation a : Activation.values()) {
            Elementwise one = a.newLayer(1);
            Elementwise four = a.newLayer(4);
            Layer.Cache c1 = one.newCache();
            Layer.Cache c4 = four.newCache();
            assertArrayEquals(one.forward(x, Mode.TRAIN, c1).data, four.forward(x, Mode.TRAIN, c4).data, 0, a.toString());
            assertArrayEquals(one.backward(dout, c1).data, four.backward(dout, c4).data, 0, a.toString());
        }
    }

    private static double[] forward(Layer layer, DMatrixRMaj x) {
        return layer.forward(x, Mode.TRAIN, layer.newCache()).data.clone();
    }

    @Test
    void dropoutAtTestTimePassesGradientsThroughAndAFrozenMaskStays() {
        Dropout d = new Dropout(0.5, new SplittableRandom(4));
        assertEquals("dropout p=0.5", d.describe());
        Layer.Cache c = d.newCache();
        DMatrixRMaj x = new DMatrixRMaj(3, 4);
        java.util.Arrays.fill(x.data, 1);
        d.forward(x, Mode.TEST, c);
        DMatrixRMaj dout = new DMatrixRMaj(3, 4);
        for (int i = 0; i < dout.data.length; i++) {
            dout.data[i] = i + 1;
        }
        assertArrayEquals(dout.data, d.backward(dout, c).data, 0, "test mode: identity both ways");
        c.freezeRandomness(true);
        double[] first = d.forward(x, Mode.TRAIN, c).data.clone();
        double[] second = d.forward(x, Mode.TRAIN, c).data.clone();
        assertArrayEquals(first, second, 0, "a frozen mask is reused");
        for (double v : first) {
            assertTrue(v == 0 || v == 2, "kept units scaled by 1 / (1 - p): " + v);
        }
        double[] dx = d.backward(dout, c).data;
        for (int i = 0; i < dx.length; i++) {
            assertEquals(first[i] * dout.data[i], dx[i], 0, "the gradient goes through the kept units, scaled");
        }
        c.freezeRandomness(false);
        boolean changed = false;
        for (int k = 0; k < 5 && !changed; k++) {
            changed = !java.util.Arrays.equals(first, d.forward(x, Mode.TRAIN, c).data);
        }
        assertTrue(changed, "released: new masks");
        // a mask for another shape is drawn anew, even frozen
        c.freezeRandomness(true);
        DMatrixRMaj wider = new DMatrixRMaj(3, 5);
        java.util.Arrays.fill(wider.data, 1);
        assertEquals(15, d.forward(wider, Mode.TRAIN, c).data.length);
    }

    @Test
    void batchNormInTestModeScalesTheGradientByGammaOverTheRunningStd() {
        BatchNorm bn = new BatchNorm("1", 2);
        assertEquals("batch norm 2", bn.describe());
        assertEquals(2, bn.features());
        bn.params().get(0).value().data[0] = 3; // gamma
        bn.buffers().get(1).values()[1] = 4;    // running variance of feature 1
        Layer.Cache c = bn.newCache();
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1, 2}, {3, 4}});
        DMatrixRMaj out = bn.forward(x, Mode.TEST, c);
        assertEquals(3 * 1 / Math.sqrt(1 + 1e-5), out.get(0, 0), 1e-12);
        assertEquals(4 / Math.sqrt(4 + 1e-5), out.get(1, 1), 1e-12);
        DMatrixRMaj dout = new DMatrixRMaj(new double[][] {{1, 1}, {2, 3}});
        DMatrixRMaj dx = bn.backward(dout, c);
        assertEquals(3 / Math.sqrt(1 + 1e-5), dx.get(0, 0), 1e-12);
        assertEquals(6 / Math.sqrt(1 + 1e-5), dx.get(1, 0), 1e-12);
        assertEquals(3 / Math.sqrt(4 + 1e-5), dx.get(1, 1), 1e-12);
        // beta shifts the output, in train mode too
        bn.params().get(1).value().data[1] = 0.5;
        DMatrixRMaj train = bn.forward(x, Mode.TRAIN, c);
        assertEquals(1 / Math.sqrt(1 + 1e-5) + 0.5, train.get(1, 1), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> bn.forward(new DMatrixRMaj(2, 3), Mode.TRAIN, bn.newCache()));
        // running averages over two training batches: running = 0.9 * running + 0.1 * batch
        BatchNorm fresh = new BatchNorm("2", 1);
        Layer.Cache fc = fresh.newCache();
        fresh.forward(new DMatrixRMaj(new double[][] {{1}, {5}}), Mode.TRAIN, fc);  // mean 3, variance 4
        fresh.forward(new DMatrixRMaj(new double[][] {{0}, {2}}), Mode.TRAIN, fc);  // mean 1, variance 1
        assertEquals(0.9 * (0.1 * 3) + 0.1 * 1, fresh.buffers().get(0).values()[0], 1e-15);
        assertEquals(0.9 * (0.9 * 1 + 0.1 * 4) + 0.1 * 1, fresh.buffers().get(1).values()[0], 1e-15);
        assertEquals("running_var2", fresh.buffers().get(1).name());
    }

    @Test
    void anAffineLayerSaysWhatItIsAndRefusesABiasOfTheWrongShape() {
        Param w = new Param("W1", new DMatrixRMaj(3, 4), true);
        Affine a = new Affine(w, new Param("b1", new DMatrixRMaj(1, 4), false), GEMM);
        assertEquals("affine 3 -> 4", a.describe());
        assertEquals(List.of("W1", "b1"), a.params().stream().map(Param::name).toList());
        assertThrows(IllegalArgumentException.class, () -> new Affine(w, new Param("b1", new DMatrixRMaj(1, 3), false), GEMM));
        assertThrows(IllegalArgumentException.class, () -> new Affine(w, new Param("b1", new DMatrixRMaj(2, 4), false), GEMM));
        assertEquals("W1 [3x4]", w.toString());
        assertEquals(3, w.rows());
        assertEquals(4, w.cols());
        assertEquals(12, w.size());
        assertFalse(w.inFloat());
        assertTrue(Param.zeros("W2", 2, 2, true, true).inFloat());
        assertFalse(Param.zeros("W2", 2, 2, true, false).inFloat());
    }

    @Test
    void theSvmsKinksAreItsPositiveMarginsAndAZeroMarginIsNotOne() {
        DMatrixRMaj scores = new DMatrixRMaj(new double[][] {{3.2, 5.1, -1.7}, {1, 0, 2}});
        int[] y = {0, 2};
        BitSet sides = LossKind.SVM.newLoss().kinkSides(scores, y);
        // row 0: margins 5.1 - 3.2 + 1 > 0 (class 1), -1.7 - 3.2 + 1 < 0; row 1: 1 - 2 + 1 = 0 (not positive), 0 - 2 + 1 < 0
        BitSet expected = new BitSet();
        expected.set(1);
        assertEquals(expected, sides);
        // later rows: bit row * C + class; here rows 1 and 2 have positive margins (classes 0 and 2 of row 1, 0 of row 2)
        DMatrixRMaj more = new DMatrixRMaj(new double[][] {{0, 0, 5}, {2, 1.5, 2.5}, {0.5, 0, -3}});
        BitSet moreSides = LossKind.SVM.newLoss().kinkSides(more, new int[] {2, 1, 1});
        BitSet moreExpected = new BitSet();
        moreExpected.set(3);
        moreExpected.set(5);
        moreExpected.set(6);
        assertEquals(moreExpected, moreSides);
        DMatrixRMaj ds = new DMatrixRMaj(1, 1);
        // a margin of exactly 0 adds neither loss nor gradient
        assertEquals(2.9 / 2, LossKind.SVM.newLoss().loss(scores, y, ds), 1e-12);
        assertArrayEquals(new double[] {-0.5, 0.5, 0, 0, 0, 0}, ds.data, 1e-15);
        assertNull(LossKind.SOFTMAX.newLoss().kinkSides(scores, y));
        assertEquals(9, LossKind.SVM.chanceLoss(10));
        assertEquals(Math.log(10), LossKind.SOFTMAX.chanceLoss(10), 1e-15);
        assertEquals("ln(10) = 2.303", LossKind.SOFTMAX.describeChance(10));
        assertEquals("C - 1 = 9", LossKind.SVM.describeChance(10));
        assertEquals("SVM", LossKind.SVM.toString());
    }

    /** A 2-input net whose scores are the input itself (identity weights, zero biases), to know its predictions. */
    private static Net identityNet(LossKind loss) {
        Net net = Net.builder(2, GEMM, 1).affine(2, WeightInit.LECTURE, true).build(loss, "identity");
        double[] w = net.weights().get(0).value().data;
        w[0] = 1;
        w[1] = 0;
        w[2] = 0;
        w[3] = 1;
        return net;
    }

    @Test
    void countCorrectTakesTheFirstOfTiedScores() {
        Net net = identityNet(LossKind.SOFTMAX);
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1, 1}, {0, 2}, {3, -1}, {5, 5}});
        assertEquals(4, net.countCorrect(x, new int[] {0, 1, 0, 0}, net.newWorkspace()), "ties go to class 0");
        assertEquals(1, net.countCorrect(x, new int[] {1, 0, 1, 0}, net.newWorkspace()));
        DMatrixRMaj scores = net.scores(x, Mode.TEST);
        assertArrayEquals(x.data, scores.data, 0);
        assertSame(scores, net.scores(x, Mode.TEST));
    }

    @Test
    void theLossIsTheDataLossPlusTheL2TermWithOrWithoutGradients() {
        Net net = identityNet(LossKind.SOFTMAX);
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1, 2}, {0.5, -1}});
        int[] y = {1, 0};
        double data = net.loss(x, y, 0, Mode.TRAIN);
        // -log(e^2 / (e + e^2)) and -log(e^0.5 / (e^0.5 + e^-1)), averaged
        double expected = (Math.log(Math.exp(1) + Math.exp(2)) - 2 + Math.log(Math.exp(0.5) + Math.exp(-1)) - 0.5) / 2;
        assertEquals(expected, data, 1e-12);
        assertEquals(0, net.regularizationLoss(0));
        assertEquals(0.5 * 3 * 2, net.regularizationLoss(3), 1e-12, "sum(W^2) = 2");
        assertEquals(expected + 3, net.loss(x, y, 3, Mode.TRAIN), 1e-12);
        assertEquals(expected + 3, net.lossAndGradients(x, y, 3), 1e-12);
        double[] withReg = net.weights().get(0).grad().data.clone();
        assertEquals(expected, net.dataLossAndGradients(x, y), 1e-12);
        double[] dataOnly = net.weights().get(0).grad().data;
        double[] w = net.weights().get(0).value().data;
        for (int i = 0; i < 4; i++) {
            assertEquals(dataOnly[i] + 3 * w[i], withReg[i], 1e-15);
        }
    }

    @Test
    void kinkSidesListEveryKinkedLayerAndTheLoss() {
        Net net = Net.builder(2, GEMM, 1).affine(3, WeightInit.gaussian(1), true).activation(Activation.RELU)
                .affine(2, WeightInit.gaussian(1), true).activation(Activation.TANH).build(LossKind.SVM, "kinks");
        int[] y = {0, 1};
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1, -2}, {0.5, 3}});
        net.lossAndGradients(x, y, 0);
        List<BitSet> sides = net.kinkSides(y);
        assertEquals(2, sides.size(), "the ReLU's and the SVM's (tanh has none)");
        DMatrixRMaj h = net.layers().get(0).forward(x, Mode.TRAIN, net.layers().get(0).newCache());
        BitSet relu = new BitSet();
        for (int i = 0; i < h.data.length; i++) {
            if (h.data[i] > 0) {
                relu.set(i);
            }
        }
        assertEquals(relu, sides.get(0));
        DMatrixRMaj scores = net.scores(x, Mode.TRAIN);
        assertEquals(LossKind.SVM.newLoss().kinkSides(scores, y), sides.get(1));
        Net smooth = Net.builder(2, GEMM, 1).affine(2, WeightInit.gaussian(1), true).build(LossKind.SOFTMAX, "smooth");
        smooth.lossAndGradients(x, y, 0);
        assertTrue(smooth.kinkSides(y).isEmpty());
    }

    @Test
    void aSnapshotRestoresParamsAndBuffersIntoItsNetOrOneOfTheSameShapesOnly() {
        NetConfig config = new NetConfig(4, List.of(3), 2, Activation.RELU, true, 0, WeightInit.gaussian(1), LossKind.SOFTMAX);
        Net net = config.build(GEMM, 2);
        Net.State saved = net.snapshot();
        double[][] before = net.params().stream().map(p -> p.value().data.clone()).toArray(double[][]::new);
        double[][] buffers = net.buffers().stream().map(b -> b.values().clone()).toArray(double[][]::new);
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1, 2, 3, 4}, {0, -1, 2, 5}});
        net.lossAndGradients(x, new int[] {0, 1}, 0); // moves the running averages
        for (Param p : net.params()) {
            java.util.Arrays.fill(p.value().data, 9);
        }
        net.restore(saved);
        for (int i = 0; i < before.length; i++) {
            assertArrayEquals(before[i], net.params().get(i).value().data, 0, net.params().get(i).name());
        }
        for (int i = 0; i < buffers.length; i++) {
            assertArrayEquals(buffers[i], net.buffers().get(i).values(), 0, net.buffers().get(i).name());
        }
        // a net of the same config (a fork's) takes the state whole; one of other shapes is refused
        Net same = config.build(GEMM, 7);
        same.restore(saved);
        for (int i = 0; i < before.length; i++) {
            assertArrayEquals(before[i], same.params().get(i).value().data, 0, same.params().get(i).name());
        }
        Net other = config.withHidden(List.of(5)).build(GEMM, 2);
        assertThrows(IllegalArgumentException.class, () -> other.restore(saved));
        assertThrows(IllegalArgumentException.class, () -> saved.copyFrom(other));
    }
}
