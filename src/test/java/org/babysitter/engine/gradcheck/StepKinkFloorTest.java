package org.babysitter.engine.gradcheck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.babysitter.engine.linalg.EjmlGemm;
import org.babysitter.engine.model.Activation;
import org.babysitter.engine.model.Affine;
import org.babysitter.engine.model.Net;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.model.Param;
import org.babysitter.engine.model.loss.LossKind;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** How the step is chosen, how kinks are found and what the floor explains, on nets small enough to reason about. */
class StepKinkFloorTest {
    private static final EjmlGemm GEMM = new EjmlGemm(false);

    private static String text(GradientCheckTable t) {
        return String.join("\n", t.lines());
    }

    @Test
    void batchNormGetsAStepSmallNextToItsWeightsAndTheLecturesStepShowsTruncationNotABug() {
        // a batch-norm net is scale-invariant in W1: the curvature is set by |W| = 1e-4, and h = 1e-5 is 10% of it
        Net net = NetConfig.lecture().withBatchNorm(true).build(GEMM, 0);
        GradientCheckTable lectures = GradientCheckTable.compute(net, Batches.IMAGES, Batches.LABELS, 0,
                GradientCheck.Options.fixedStep(1e-5, 12, 0));
        TensorCheck w1 = lectures.tensors().get(0);
        // on the real CIFAR-10 the 6.7e-4; on these images smaller, but 10 times the 4-sided error
        assertTrue(w1.centredError() > 1e-5, text(lectures));
        assertTrue(w1.centredError() > 10 * w1.error(Difference.FOUR_POINT), text(lectures));
        assertEquals(Verdict.TRUNCATION, w1.verdict(), "explained by |2-sided - 4-sided|, not called a bug: " + text(lectures));

        GradientCheckTable auto = GradientCheckTable.compute(net, Batches.IMAGES, Batches.LABELS, 0,
                GradientCheck.Options.auto(12, 0));
        TensorCheck chosen = auto.tensors().get(0);
        assertTrue(chosen.h() < 0.05 * chosen.scale(), "h " + chosen.h() + " vs rms " + chosen.scale());
        assertTrue(chosen.centredError() < w1.centredError() / 5, text(auto) + "\n" + text(lectures));
        assertTrue(chosen.verdict().passes(), text(auto));
    }

    @Test
    void stepsFollowEachTensorsScaleAndAZeroTensorUsesOne() {
        Net net = NetConfig.lecture().build(GEMM, 0);
        GradientCheckTable t = GradientCheckTable.compute(net, Batches.IMAGES, Batches.LABELS, 0,
                GradientCheck.Options.auto(12, 0));
        for (TensorCheck c : t.tensors()) {
            boolean zero = c.name().startsWith("b");
            assertEquals(zero ? 1.0 : 1e-4, c.scale(), zero ? 0 : 0.1e-4, c.name());
            assertTrue(c.h() <= c.scale() / 10 * (1 + 1e-9) && c.h() >= c.scale() * 1e-8, c.name() + " h " + c.h());
        }
    }

    @Test
    void aTooSmallStepIsRoundOffNotABugAndOneFarTooSmallJudgesNothing() {
        // h = 1e-8 on weights of 1e-4: the loss moves by a few hundred of its last digits; large errors, all explained
        Net net = NetConfig.lecture().build(GEMM, 0);
        GradientCheckTable small = GradientCheckTable.compute(net, Batches.IMAGES, Batches.LABELS, 0,
                GradientCheck.Options.fixedStep(1e-8, 12, 0));
        TensorCheck w1 = small.tensors().get(0);
        assertTrue(w1.centredError() > 1e-5, text(small));
        assertEquals(Verdict.ROUND_OFF, w1.verdict(), text(small));
        // the measured noise is the loss's rounding: a fraction of a digit to a few digits of 2.3
        assertTrue(w1.noise() >= Math.ulp(2.3) / 2 && w1.noise() < 20 * Math.ulp(2.3), "noise " + w1.noise());

        // h = 1e-10: no entry's derivative is precise to 1e-4 any more, and the check says it cannot tell
        GradientCheckTable tiny = GradientCheckTable.compute(net, Batches.IMAGES, Batches.LABELS, 0,
                GradientCheck.Options.fixedStep(1e-10, 12, 0));
        assertEquals(Verdict.UNCHECKED, tiny.tensors().get(0).verdict(), text(tiny));
        assertTrue(text(tiny).contains("  W1 unchecked: no entry's numerical derivative is precise to 1e-4"), text(tiny));
        assertEquals(GradientCheckTable.Outcome.INCONCLUSIVE, GradientCheckTable.outcome(List.of(tiny)));
    }

    /** One input (x = 1), two hidden units with inputs 0.001 (its kink 1e-3 away in W1[0,0] and b1[0]) and -0.5 (off). */
    private static Net oneUnit(Activation activation) {
        Param w1 = new Param("W1", new DMatrixRMaj(new double[][] {{0.001, -0.5}}), true);
        Param b1 = new Param("b1", new DMatrixRMaj(1, 2), false);
        Param w2 = new Param("W2", new DMatrixRMaj(new double[][] {{1.5, -0.7}, {0.3, 0.9}}), true);
        Param b2 = new Param("b2", new DMatrixRMaj(new double[][] {{0.1, -0.2}}), false);
        return Net.builder(1, GEMM, 0).add(new Affine(w1, b1, GEMM), 2).activation(activation)
                .add(new Affine(w2, b2, GEMM), 2).build(LossKind.SOFTMAX, "1-2-2 " + activation);
    }

    @Test
    void anEntryWhoseStepsCrossAReluKinkIsLeftOutAndCounted() {
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1.0}});
        int[] y = {0};
        // h = 1e-3: W1[0,0] = 0.001 moves to 0 and -0.001, across the ReLU's kink
        GradientCheckTable fixed = GradientCheckTable.compute(oneUnit(Activation.RELU), x, y, 0,
                GradientCheck.Options.fixedStep(1e-3, 10, 0));
        TensorCheck w1 = fixed.tensors().get(0);
        assertEquals(1, w1.nearKinks().size(), text(fixed));
        assertEquals(0, w1.nearKinks().get(0).index());
        assertTrue(w1.nearKinks().get(0).error(Difference.FOUR_POINT) > 1e-2, "a kink makes a right gradient look wrong");
        assertTrue(w1.verdict().passes(), "left out, not failed: " + text(fixed));
        assertTrue(text(fixed).contains("  W1: 1 of 2 entries near a kink, left out"), text(fixed));
        // b1[0] moves the same ReLU input: also near the kink
        assertEquals(1, fixed.tensors().get(1).nearKinks().size(), text(fixed));

        // a smooth net has no kinks, whatever the step
        GradientCheckTable smooth = GradientCheckTable.compute(oneUnit(Activation.TANH), x, y, 0,
                GradientCheck.Options.fixedStep(1e-3, 10, 0));
        smooth.tensors().forEach(c -> assertEquals(0, c.nearKinks().size(), text(smooth)));

        // a chosen step stays clear of it: at most a tenth of the entries (here none) may be near a kink
        GradientCheckTable auto = GradientCheckTable.compute(oneUnit(Activation.RELU), x, y, 0,
                GradientCheck.Options.auto(10, 0));
        assertEquals(0, auto.tensors().get(0).nearKinks().size(), text(auto));
        assertTrue(auto.tensors().get(0).h() < 5e-4, text(auto));
        assertTrue(auto.passed(), text(auto));
    }

    @Test
    void whenEveryEntryIsNearAKinkNothingIsJudged() {
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1.0}});
        GradientCheckTable t = GradientCheckTable.compute(oneUnit(Activation.RELU), x, new int[] {0}, 0,
                GradientCheck.Options.fixedStep(1e-3, 10, 0));
        TensorCheck b1 = t.tensors().get(1);
        // b1[1] is behind a unit that is off (input -0.5): it never moves the loss; b1[0] is at the kink
        assertEquals(Verdict.GOOD, b1.verdict(), text(t));
        GradientCheckTable big = GradientCheckTable.compute(oneUnit(Activation.RELU), x, new int[] {0}, 0,
                GradientCheck.Options.fixedStep(1.0, 10, 0));
        TensorCheck all = big.tensors().get(1);
        assertEquals(2, all.nearKinks().size(), text(big));
        assertEquals(Verdict.UNCHECKED, all.verdict(), text(big));
        assertEquals(GradientCheckTable.Outcome.INCONCLUSIVE, GradientCheckTable.outcome(List.of(big)));
        assertEquals(1, GradientCheckTable.Outcome.INCONCLUSIVE.exitCode());
        assertTrue(text(big).contains("b1 unchecked: every sampled entry had a kink"), text(big));
    }

    @Test
    void theSvmsMarginsAreKinksToo() {
        // scores tanh(1) = 0.76 and 0: the margin s_1 - s_0 + 1 = 0.24; steps of 0.3 in either bias move it through 0
        Param w1 = new Param("W1", new DMatrixRMaj(new double[][] {{0.0, 0.0}}), true);
        Param b1 = new Param("b1", new DMatrixRMaj(new double[][] {{1.0, 1.0}}), false);
        Param w2 = new Param("W2", new DMatrixRMaj(new double[][] {{1.0, 0.0}, {0.0, 0.0}}), true);
        Param b2 = new Param("b2", new DMatrixRMaj(1, 2), false);
        Net net = Net.builder(1, GEMM, 0).add(new Affine(w1, b1, GEMM), 2).activation(Activation.TANH)
                .add(new Affine(w2, b2, GEMM), 2).build(LossKind.SVM, "svm");
        GradientCheckTable t = GradientCheckTable.compute(net, new DMatrixRMaj(new double[][] {{1.0}}), new int[] {0}, 0,
                GradientCheck.Options.fixedStep(0.3, 10, 0));
        assertEquals(2, t.tensors().get(3).nearKinks().size(), text(t));
    }

    @Test
    void aCheckLeavesTheNetAsItFoundIt() {
        Net net = NetConfig.lecture().withBatchNorm(true).withDropout(0.5).build(GEMM, 3);
        double[][] before = net.params().stream().map(p -> p.value().data.clone()).toArray(double[][]::new);
        double[][] buffers = net.buffers().stream().map(b -> b.values().clone()).toArray(double[][]::new);
        GradientCheck.Options o = GradientCheck.Options.auto(4, 1);
        List<TensorCheck> first = GradientCheck.check(net, Batches.IMAGES, Batches.LABELS, 0.1, o);
        for (int i = 0; i < before.length; i++) {
            assertArrayEquals(before[i], net.params().get(i).value().data, net.params().get(i).name());
        }
        for (int i = 0; i < buffers.length; i++) {
            assertArrayEquals(buffers[i], net.buffers().get(i).values(), net.buffers().get(i).name());
        }
        // dropout masks frozen during a check, batch norm's averages put back: the same check gives the same table
        List<TensorCheck> second = GradientCheck.check(net, Batches.IMAGES, Batches.LABELS, 0.1, o);
        assertEquals(first, second);
    }
}
