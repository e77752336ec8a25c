package org.babysitter.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.babysitter.engine.gradcheck.GradientCheck;
import org.babysitter.engine.gradcheck.Objective;
import org.babysitter.engine.gradcheck.TensorCheck;
import org.babysitter.engine.gradcheck.Verdict;
import org.babysitter.engine.linalg.EjmlGemm;
import org.babysitter.engine.model.loss.LossKind;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole nets pass the centred gradient check below 1e-6 in double, with and without reg, batch norm and dropout.
 * Regs are kept small enough that the loss stays near ln(C): the centred difference's round-off grows with the
 * loss's magnitude, and the elementwise relative error of an entry whose gradient nearly cancels (1e-5) would
 * measure that round-off rather than the backward pass.
 */
class NetGradientTest {
    static Stream<Arguments> nets() {
        NetConfig base = new NetConfig(15, List.of(20, 12), 7, Activation.RELU, false, 0, WeightInit.he(), LossKind.SOFTMAX);
        return Stream.of(
                Arguments.of("two-layer relu", base.withHidden(List.of(10)), 0.0),
                Arguments.of("two-layer relu, reg", base.withHidden(List.of(10)), 0.1),
                Arguments.of("three-layer tanh, reg", base.withActivation(Activation.TANH), 0.05),
                Arguments.of("sigmoid", base.withActivation(Activation.SIGMOID).withInit(WeightInit.xavier()), 0.1),
                Arguments.of("leaky relu", base.withActivation(Activation.LEAKY_RELU), 0.1),
                Arguments.of("batch norm", base.withBatchNorm(true), 0.0),
                Arguments.of("batch norm, reg", base.withBatchNorm(true), 0.05),
                Arguments.of("dropout", base.withDropout(0.25), 0.0),
                Arguments.of("batch norm + dropout, reg", base.withBatchNorm(true).withDropout(0.5), 0.05),
                Arguments.of("svm loss", base.withLoss(LossKind.SVM).withActivation(Activation.TANH), 0.1));
    }

    /**
     * Small conv nets on 3x8x8 images, with the whole nets' bar (1e-6: the largest elementwise error over a whole net
     * includes entries whose gradient nearly cancels); each conv layer alone passes below 1e-7 in ConvLayersTest.
     */
    static Stream<Arguments> convNets() {
        NetConfig conv = new NetConfig(3 * 8 * 8, List.of(), 4, Activation.TANH, false, 0, WeightInit.xavier(), LossKind.SOFTMAX,
                ConvStage.parse("conv 3x3x4 pad 1 pool 2, conv 2x2x3 stride 2"));
        return Stream.of(
                Arguments.of("conv-pool-conv tanh", conv, 0.0),
                Arguments.of("conv-pool-conv tanh, reg, hidden layer", conv.withHidden(List.of(5)), 0.05),
                Arguments.of("conv with spatial batch norm", conv.withBatchNorm(true), 0.0),
                Arguments.of("ConvNetJS's stages on 3x8x8, smooth activation", conv.withConv(ConvStage.parse("conv 5x5x2 pad 2 pool 2,"
                        + " conv 5x5x3 pad 2 pool 2, conv 5x5x2 pad 2 pool 2")), 0.01));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convNets")
    void convNetsPassTheCentredCheck(String name, NetConfig config, double reg) {
        Net net = config.build(new EjmlGemm(false), 42);
        DMatrixRMaj x = LayerGradientTest.random(4, config.inputSize(), new SplittableRandom(3), 1.0);
        int[] y = {0, 1, 2, 3};
        List<TensorCheck> checks = GradientCheck.check(net, x, y, reg, GradientCheck.Options.auto(1000, 1));
        assertEquals(net.params().size(), checks.size());
        for (TensorCheck t : checks) {
            assertTrue(t.verdict().passes(), name + ": " + t);
            assertTrue(t.centredError() < 1e-6, name + ": " + t.name() + " " + t.centredError());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nets")
    void everyParameterPassesTheCentredCheck(String name, NetConfig config, double reg) {
        Net net = config.build(new EjmlGemm(false), 42);
        SplittableRandom r = new SplittableRandom(3);
        DMatrixRMaj x = LayerGradientTest.random(6, config.inputSize(), r, 1.0);
        int[] y = {0, 1, 2, 3, 4, 5};
        List<TensorCheck> checks = GradientCheck.check(net, x, y, reg, GradientCheck.Options.auto(1000, 1));
        assertEquals(net.params().size(), checks.size());
        for (TensorCheck t : checks) {
            assertTrue(t.verdict().passes(), name + ": " + t);
            assertTrue(t.centredError() < 1e-6, name + ": " + t.name() + " " + t.centredError());
        }
    }

    @Test
    void aWrongGradientIsCaught() {
        NetConfig config = new NetConfig(8, List.of(6), 3, Activation.TANH, false, 0, WeightInit.xavier(), LossKind.SOFTMAX);
        Net net = config.build(new EjmlGemm(false), 1);
        DMatrixRMaj x = LayerGradientTest.random(4, 8, new SplittableRandom(2), 1.0);
        int[] y = {0, 1, 2, 0};
        // a deliberately wrong analytic gradient: reg in the loss but not in the gradient
        Objective withReg = Objective.of(net, x, y, 1.0);
        Objective wrong = new Objective() {
            public List<Param> params() {
                return withReg.params();
            }

            public double lossAndGradients() {
                return net.lossAndGradients(x, y, 0);
            }

            public double loss() {
                return withReg.loss();
            }

            public List<java.util.BitSet> kinkSides() {
                return withReg.kinkSides();
            }
        };
        List<TensorCheck> checks = GradientCheck.check(wrong, GradientCheck.Options.auto(1000, 1));
        assertEquals(Verdict.FAIL, checks.get(0).verdict(), checks.get(0).toString());
        assertTrue(checks.get(0).centredError() > 1e-2);
    }

    @Test
    void regularizationIsHalfRegTimesSumOfSquaredWeightsOnly() {
        NetConfig config = new NetConfig(3, List.of(2), 2, Activation.RELU, true, 0, WeightInit.gaussian(1), LossKind.SOFTMAX);
        Net net = config.build(new EjmlGemm(false), 9);
        double sum = 0;
        for (Param w : net.weights()) {
            for (double v : w.value().data) {
                sum += v * v;
            }
        }
        for (Param p : net.params()) {
            if (!p.regularized()) {
                java.util.Arrays.fill(p.value().data, 5); // biases, gamma, beta must not count
            }
        }
        assertEquals(0.5 * 2.5 * sum, net.regularizationLoss(2.5), 1e-12);
        assertEquals(List.of("W1", "gamma1", "beta1", "W2", "b2"), net.params().stream().map(Param::name).toList());
    }

    @Test
    void sameSeedSameWeightsDifferentSeedDifferent() {
        NetConfig config = NetConfig.twoLayer(20, 5, 3);
        Net a = config.build(new EjmlGemm(false), 5);
        Net b = config.build(new EjmlGemm(false), 5);
        Net c = config.build(new EjmlGemm(false), 6);
        assertTrue(java.util.Arrays.equals(a.weights().get(0).value().data, b.weights().get(0).value().data));
        assertTrue(!java.util.Arrays.equals(a.weights().get(0).value().data, c.weights().get(0).value().data));
        // std 1e-4 init: the sample std of W1 is 1e-4 within sampling error
        double[] w = a.weights().get(0).value().data;
        double var = java.util.Arrays.stream(w).map(v -> v * v).average().orElseThrow();
        assertEquals(1e-4, Math.sqrt(var), 0.3e-4);
    }
}
