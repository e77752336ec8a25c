package org.babysitter.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.babysitter.engine.data.BuiltInData;
import org.babysitter.engine.data.ImageSet;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.linalg.EjmlGemm;
import org.babysitter.engine.linalg.Gemm;
import org.babysitter.engine.linalg.Gemms;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.TrainingListener;
import org.babysitter.engine.model.Activation;
import org.babysitter.engine.model.Net;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.model.Param;
import org.babysitter.engine.model.WeightInit;
import org.babysitter.engine.model.loss.LossKind;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.train.optim.ReferenceRule;
import org.babysitter.engine.train.optim.UpdateRuleKind;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the trainer does in a step, checked against what it is made of: the net's own {@code lossAndGradients} (L2
 * included) on the same images, and an independent implementation of each update rule written here from the
 * formulas (cs231n's optim.py; the rules' javadoc), in plain double loops, one state per parameter. A second net
 * built from the same config and seed takes the reference steps beside the trainer's; after every step the two
 * must hold the same weights, the trainer must have reported the loss before the step ({@code data loss +
 * 0.5 * reg * sum(W^2)}) and norm(update) / norm(W) of every weight matrix.
 * <p>
 * Full-batch steps make the images of each step known (all of them, in order); lr decays after every such step,
 * so the reference follows the decay too.
 */
class TrainerReferenceTest {
    static final long SEED = 3;
    static final double REG = 0.5;
    static final double DECAY = 0.8;
    static final int STEPS = 5;
    static PreparedData data;

    @BeforeAll
    static void load() {
        // 40 training images, 10 validation images
        data = PreparedData.prepare(BuiltInData.generate(50, 0, 9), new SplitSpec(10, 0, 0), Preprocessing.MEAN_IMAGE);
    }

    /** 3072-6-5-10: three weight matrices, three biases (or two batch norms instead of the hidden biases). */
    static NetConfig net(boolean batchNorm) {
        return new NetConfig(3072, List.of(6, 5), 10, Activation.RELU, batchNorm, 0, WeightInit.gaussian(1e-3),
                LossKind.SOFTMAX);
    }

    static double learningRate(UpdateRuleKind kind) {
        return switch (kind) {
            case SGD, MOMENTUM, NESTEROV -> 2e-3;
            case RMSPROP, ADAM, ADAMW -> 1e-4;
        };
    }

    static Stream<Arguments> rulesAndNets() {
        return Stream.of(UpdateRuleKind.values()).flatMap(k -> Stream.of(Arguments.of(k, false), Arguments.of(k, true)));
    }

    @ParameterizedTest(name = "{0}, batch norm {1}")
    @MethodSource("rulesAndNets")
    void everyStepMatchesTheNetsGradientsAndAReferenceRule(UpdateRuleKind kind, boolean batchNorm) {
        // exact products and double weights; the rules compute each update in float, which the adaptive rules' division
        // by a running scale (RMSProp's, Adam's) can leave a few float roundings off the double reference
        boolean adaptive = kind == UpdateRuleKind.RMSPROP || kind == UpdateRuleKind.ADAM || kind == UpdateRuleKind.ADAMW;
        checkAgainstReference(kind, net(batchNorm), new EjmlGemm(false), adaptive ? 1e-4 : 1e-5, 1e-6);
    }

    /**
     * A single-precision backend keeps the weights, their gradients and the rule's state in float: the same steps to
     * float precision (the reference still in double, on exact products).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("floatRules")
    void aFloatBackendTakesTheSameStepsToFloatPrecision(UpdateRuleKind kind) {
        // netlib's pure-Java BLAS loads everywhere netlib does; the system's OpenBLAS where installed
        String name = Gemms.available().stream().filter(n -> n.endsWith("-f32")).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(name != null, "no single-precision backend here: " + Gemms.available());
        Gemm f32 = Gemms.byName(name);
        assertTrue(f32.readsFloatCopies());
        checkAgainstReference(kind, net(false), f32, 2e-3, 1e-5);
    }

    static Stream<UpdateRuleKind> floatRules() {
        return Stream.of(UpdateRuleKind.SGD, UpdateRuleKind.NESTEROV, UpdateRuleKind.ADAMW);
    }

    /**
     * Runs {@link #STEPS} full-batch steps of the trainer and the reference side by side. {@code stepTolerance}: how
     * far the trainer's weights may be from the reference's, as a share of the step's largest update;
     * {@code relTolerance}: the reported loss and ratios, relative.
     */
    private static void checkAgainstReference(UpdateRuleKind kind, NetConfig netConfig, Gemm gemm, double stepTolerance,
                                              double relTolerance) {
        double lr = learningRate(kind);
        TrainConfig config = new TrainConfig(kind, lr, 0.9, DECAY, REG, 100, STEPS, Batching.FULL, SEED, 1000);
        Trainer trainer = Trainer.create(netConfig, data.dataset(), data.preprocessor(), config, gemm);
        Net ref = netConfig.build(new EjmlGemm(false), SEED);
        List<Param> trained = trainer.net().params();
        List<Param> refParams = ref.params();
        assertEquals(refParams.size(), trained.size());
        for (int p = 0; p < refParams.size(); p++) {
            assertArrayEquals(refParams.get(p).value().data, trained.get(p).value().data, 1e-9, "same start");
        }
        assertEquals(List.of("W1", "W2", "W3"), ref.weights().stream().map(Param::name).toList());
        assertTrue(refParams.size() > 3, "weights and the params that are not regularized");

        ImageSet train = data.dataset().train();
        int n = train.size();
        DMatrixRMaj x = new DMatrixRMaj(n, 3072);
        data.preprocessor().rows(train, 0, n, x);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = train.label(i);
        }
        ReferenceRule rule = new ReferenceRule(kind, 0.9);
        double[] lrNow = {lr};
        int[] checked = {0};
        trainer.addListener(new TrainingListener() {
            @Override
            public void onIteration(IterationMetrics m) {
                String at = kind + " iteration " + m.iteration();
                // the reference loss, before its step: data loss + 0.5 * reg * sum(W^2), gradients L2 included
                // (adamw: the data gradient alone, the decay is the rule's)
                double loss = kind == UpdateRuleKind.ADAMW
                        ? ref.lossAndGradients(x, y, 0) + ref.regularizationLoss(REG)
                        : ref.lossAndGradients(x, y, REG);
                assertRelative(loss, m.loss(), relTolerance, at + ": loss");
                double l2 = ref.regularizationLoss(REG);
                assertTrue(l2 > 1e-6 * loss, "the L2 term " + l2 + " counts in the loss " + loss);
                assertEquals(lrNow[0], m.learningRate(), 1e-18, at + ": learning rate");
                assertEquals(REG, m.reg(), 0, at);
                List<Double> ratios = new ArrayList<>();
                for (int p = 0; p < refParams.size(); p++) {
                    Param rp = refParams.get(p);
                    double[] before = rp.value().data.clone();
                    rule.step(p, rp.value().data, rp.grad().data, lrNow[0], rp.regularized() ? REG : 0);
                    rp.value(); // the values were written
                    if (rp.regularized()) {
                        ratios.add(rule.ratio());
                    }
                    double[] expected = rp.value().data;
                    double[] actual = trained.get(p).value().data;
                    double largestUpdate = 0;
                    for (int i = 0; i < expected.length; i++) {
                        largestUpdate = Math.max(largestUpdate, Math.abs(expected[i] - before[i]));
                    }
                    assertTrue(largestUpdate > 0, at + ": " + rp.name() + " moved");
                    for (int i = 0; i < expected.length; i++) {
                        double tolerance = stepTolerance * largestUpdate + relTolerance * Math.abs(expected[i]);
                        if (Math.abs(expected[i] - actual[i]) > tolerance) {
                            throw new AssertionError(at + ": " + rp.name() + "[" + i + "] = " + actual[i] + ", the reference "
                                    + expected[i] + " (before the step " + before[i] + ", largest update " + largestUpdate + ")");
                        }
                    }
                }
                assertEquals(ratios.size(), m.updateRatios().size(), at);
                for (int w = 0; w < ratios.size(); w++) {
                    assertRelative(ratios.get(w), m.updateRatios().get(w), relTolerance, at + ": ratio of W" + (w + 1));
                }
                lrNow[0] *= DECAY; // a full-batch step is an epoch: the decay follows it
                checked[0]++;
            }
        });
        TrainResult result = trainer.run();
        assertTrue(result.completed(), String.valueOf(result.divergedReason()));
        assertEquals(STEPS, checked[0]);
    }

    static void assertRelative(double expected, double actual, double tolerance, String what) {
        double error = Math.abs(expected - actual) / Math.max(Math.abs(expected), Double.MIN_NORMAL);
        if (!(error <= tolerance)) {
            throw new AssertionError(what + ": expected " + expected + ", got " + actual + " (relative error " + error + ")");
        }
    }
}
