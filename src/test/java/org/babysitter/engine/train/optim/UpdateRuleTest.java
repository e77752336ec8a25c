package org.babysitter.engine.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.babysitter.engine.linalg.MirroredMatrix;
import org.babysitter.engine.model.Param;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** Each rule against the formulas, step by step, and the update/weight ratio it reports. */
class UpdateRuleTest {
    private static Param param(double[] w, double[] g) {
        Param p = new Param("W1", new DMatrixRMaj(1, w.length, true, w), true);
        System.arraycopy(g, 0, p.grad().data, 0, g.length);
        return p;
    }

    @Test
    void aParamKeptInFloatFollowsTheDoubleStepsToFloatPrecision() {
        for (UpdateRuleKind kind : UpdateRuleKind.values()) {
            UpdateRule onDouble = kind.create(0.9);
            UpdateRule onFloat = kind.create(0.9);
            double[] w0 = {0.3, -1.2, 2.5, 0.01};
            Param a = new Param("W1", new DMatrixRMaj(1, 4, true, w0.clone()), true);
            Param b = Param.zeros("W1", 1, 4, true, true);
            System.arraycopy(w0, 0, b.value().data, 0, 4);
            assertTrue(b.inFloat());
            Param.StepStats sa = new Param.StepStats();
            Param.StepStats sb = new Param.StepStats();
            for (int step = 0; step < 5; step++) {
                // the product writes the gradient in float only
                MirroredMatrix g = (MirroredMatrix) b.gradForProduct();
                for (int i = 0; i < 4; i++) {
                    float v = (float) Math.sin(step + 3 * i);
                    g.mirror()[i] = v;
                    a.grad().data[i] = v;
                }
                g.markFloatOnly();
                onDouble.apply(a, 1e-2, 1e-1, sa);
                onFloat.apply(b, 1e-2, 1e-1, sb);
                MirroredMatrix value = (MirroredMatrix) b.forProduct();
                assertTrue(value.dataStale(), "the step wrote the float values only");
                for (int i = 0; i < 4; i++) {
                    float f = value.mirror()[i];
                    assertEquals(a.value().get(i), f, 1e-6 * Math.max(1, Math.abs(f)), kind + " step " + step);
                }
                assertEquals(sa.ratio(), sb.ratio(), 1e-5 * sa.ratio(), kind.toString());
                // value() reads the float values, exactly, and grad() the float-only gradient
                float f0 = value.mirror()[0];
                assertEquals(f0, b.value().get(0), 0, kind + " step " + step);
                assertEquals((float) Math.sin(step + 6), b.grad().get(2), 0, "grad() gives the float-only gradient as data");
            }
            // a writer of data (a restore) is read by the next step
            b.value().data[0] = 7;
            kind.create(0.9).apply(b, 0, 0, sb); // a fresh rule: no velocity yet
            assertEquals(7, b.value().get(0), 0, kind + ": a zero step keeps the written value");
            assertEquals(7, ((MirroredMatrix) b.forProduct()).mirror()[0], 0, kind.toString());
        }
    }

    @Test
    void sgdStepsAgainstTheGradientAndReportsTheRatio() {
        Param p = param(new double[] {3, 4}, new double[] {1, -2});
        double ratio = new Sgd().apply(p, 0.1);
        assertEquals(2.9, p.value().get(0), 1e-7);
        assertEquals(4.2, p.value().get(1), 1e-7);
        // norm(-lr dW) / norm(W) = 0.1 * sqrt(5) / 5
        assertEquals(0.1 * Math.sqrt(5) / 5, ratio, 1e-7);
    }

    @Test
    void momentumAccumulatesVelocity() {
        Param p = param(new double[] {1}, new double[] {2});
        Momentum m = new Momentum(0.9);
        m.apply(p, 0.1); // v = -0.2, w = 0.8
        assertEquals(0.8, p.value().get(0), 1e-7);
        m.apply(p, 0.1); // v = 0.9 * -0.2 - 0.2 = -0.38, w = 0.42
        assertEquals(0.42, p.value().get(0), 1e-7);
    }

    @Test
    void momentumZeroIsPlainSgd() {
        Param a = param(new double[] {1, 2}, new double[] {0.5, -1});
        Param b = param(new double[] {1, 2}, new double[] {0.5, -1});
        Momentum m = new Momentum(0);
        Sgd s = new Sgd();
        for (int i = 0; i < 3; i++) {
            m.apply(a, 0.05);
            s.apply(b, 0.05);
        }
        assertEquals(b.value().get(0), a.value().get(0), 1e-7);
        assertEquals(b.value().get(1), a.value().get(1), 1e-7);
    }

    @Test
    void nesterovLooksAhead() {
        Param p = param(new double[] {1}, new double[] {2});
        Nesterov n = new Nesterov(0.9);
        n.apply(p, 0.1); // v' = -0.2; w += -0.9*0 + 1.9*-0.2 = -0.38
        assertEquals(0.62, p.value().get(0), 1e-7);
        n.apply(p, 0.1); // v'' = 0.9*-0.2 - 0.2 = -0.38; w += 0.18 + 1.9*-0.38 = -0.542
        assertEquals(0.62 - 0.542, p.value().get(0), 1e-7);
    }

    @Test
    void rmspropDividesByTheRunningRms() {
        Param p = param(new double[] {1}, new double[] {2});
        new RmsProp().apply(p, 0.01);
        double cache = 0.01 * 4;
        assertEquals(1 - 0.01 * 2 / (Math.sqrt(cache) + 1e-8), p.value().get(0), 1e-7);
    }

    @Test
    void adamFirstStepIsAboutLrTimesSignOfGradient() {
        Param p = param(new double[] {1, 1}, new double[] {3, -0.001});
        Adam a = new Adam();
        a.apply(p, 0.01);
        assertEquals(0.99, p.value().get(0), 1e-8);
        assertEquals(1.01, p.value().get(1), 1e-6);
        // second step with the same gradient: bias-corrected moments are again the gradient and its square
        a.apply(p, 0.01);
        assertEquals(0.98, p.value().get(0), 1e-8);
    }

    @Test
    void eachRuleKeepsItsOwnStatePerParam() {
        Param p = param(new double[] {1}, new double[] {1});
        Param q = param(new double[] {1}, new double[] {1});
        Momentum m = new Momentum(0.9);
        m.apply(p, 0.1);
        m.apply(p, 0.1);
        m.apply(q, 0.1); // q's first step: no velocity from p
        assertEquals(0.9, q.value().get(0), 1e-7);
    }

    /**
     * Every rule against {@link ReferenceRule} (the formulas in plain double loops), with L2, over several steps of two
     * params taken in turn: a weight large enough to be stepped in parallel slices, many blocks each, and a bias
     * (not regularized) of a few blocks; each keeps its own state. The values after each step and the measured sums of
     * squares (the ratio and the loss's L2 term) must match.
     */
    @Test
    void everyRuleMatchesTheReferenceWithRegOverSeveralStepsPerParam() {
        int large = 2 * 32768 + 1000; // three slices of 32768, in parallel
        int small = 3 * 512 + 7;
        for (UpdateRuleKind kind : UpdateRuleKind.values()) {
            UpdateRule rule = kind.create(0.8);
            ReferenceRule ref = new ReferenceRule(kind, 0.8);
            Param w = new Param("W1", new DMatrixRMaj(1, large), true);
            Param b = new Param("b1", new DMatrixRMaj(1, small), false);
            double[] refW = new double[large];
            double[] refB = new double[small];
            for (int i = 0; i < large; i++) {
                refW[i] = w.value().data[i] = 0.5 * Math.cos(i * 0.37) + (i % 3 == 0 ? 0.2 : -0.1);
            }
            for (int i = 0; i < small; i++) {
                refB[i] = b.value().data[i] = 0.1 * Math.sin(i * 1.3);
            }
            double lr = kind == UpdateRuleKind.SGD || kind == UpdateRuleKind.MOMENTUM || kind == UpdateRuleKind.NESTEROV ? 0.05 : 0.01;
            double reg = 0.3;
            Param.StepStats stats = new Param.StepStats();
            for (int step = 0; step < 4; step++) {
                for (Param p : new Param[] {w, b, b, w}) { // b twice in a row, w twice in a row: per-param step counts
                    double[] refValues = p == w ? refW : refB;
                    double[] g = p.grad().data;
                    double[] refGrad = new double[g.length];
                    for (int i = 0; i < g.length; i++) {
                        g[i] = Math.sin(3.1 * i + 0.7 * step + (p == w ? 0 : 1)) * (1 + (i % 7));
                        // the L2 gradient, for a regularized param, unless the rule decays the weights itself
                        refGrad[i] = g[i] + (p.regularized() && kind != UpdateRuleKind.ADAMW ? reg * refValues[i] : 0);
                    }
                    double[] before = refValues.clone();
                    rule.apply(p, lr, reg, stats);
                    ref.step(p, refValues, refGrad, lr, p.regularized() ? reg : 0);
                    String at = kind + " step " + step + " " + p.name();
                    double largest = 0;
                    for (int i = 0; i < refValues.length; i++) {
                        largest = Math.max(largest, Math.abs(refValues[i] - before[i]));
                    }
                    double[] actual = p.value().data;
                    for (int i = 0; i < refValues.length; i++) {
                        // the rules compute in float: each update to float precision, added to the double values
                        if (Math.abs(actual[i] - refValues[i]) > 1e-5 * largest) {
                            throw new AssertionError(at + " [" + i + "]: " + actual[i] + ", the reference " + refValues[i]);
                        }
                    }
                    assertEquals(ref.updateSquares, stats.updateSquares, 1e-5 * ref.updateSquares, at + ": sum(update^2)");
                    assertEquals(ref.valueSquares, stats.valueSquares, 1e-6 * ref.valueSquares, at + ": sum(w^2) before");
                    assertEquals(ref.ratio(), stats.ratio(), 1e-5 * ref.ratio(), at + ": ratio");
                }
            }
        }
    }

    /**
     * A weight kept in float (a single-precision backend) against the reference in double, to float precision: an odd
     * length (a block's last entry on its own), the gradient given as a product writes it (float copy only) or as a
     * reader writes it ({@code grad().data}, which the step must then take), and a value written by a restore between
     * steps.
     */
    @Test
    void aFloatParamFollowsTheReferenceToFloatPrecision() {
        int n = 2 * 512 + 3;
        for (UpdateRuleKind kind : UpdateRuleKind.values()) {
            UpdateRule rule = kind.create(0.8);
            ReferenceRule ref = new ReferenceRule(kind, 0.8);
            Param p = Param.zeros("W1", 1, n, true, true);
            double[] refW = new double[n];
            for (int i = 0; i < n; i++) {
                refW[i] = p.value().data[i] = (float) (0.5 * Math.cos(i * 0.37) + 0.05);
            }
            double lr = 0.01;
            double reg = 0.3;
            Param.StepStats stats = new Param.StepStats();
            for (int step = 0; step < 5; step++) {
                if (step == 3) { // a restore writes the values between steps
                    double[] values = p.value().data;
                    for (int i = 0; i < n; i += 7) {
                        values[i] = refW[i] = (float) (refW[i] * 1.5);
                    }
                }
                double[] refGrad = new double[n];
                boolean fromProduct = step % 2 == 0;
                MirroredMatrix g = (MirroredMatrix) p.gradForProduct();
                double[] written = fromProduct ? null : p.grad().data;
                for (int i = 0; i < n; i++) {
                    float v = (float) (Math.sin(1.7 * i + step) * (1 + i % 5));
                    if (fromProduct) {
                        g.mirror()[i] = v;
                    } else {
                        written[i] = v;
                    }
                    refGrad[i] = v + (kind == UpdateRuleKind.ADAMW ? 0 : reg * refW[i]);
                }
                if (fromProduct) {
                    g.markFloatOnly();
                }
                double[] before = refW.clone();
                rule.apply(p, lr, reg, stats);
                ref.step("W1", refW, refGrad, lr, reg);
                double largest = 0;
                for (int i = 0; i < n; i++) {
                    largest = Math.max(largest, Math.abs(refW[i] - before[i]));
                }
                float[] values = ((MirroredMatrix) p.forProduct()).mirror();
                String at = kind + " step " + step;
                for (int i = 0; i < n; i++) {
                    double tolerance = 1e-3 * largest + 2e-7 * Math.abs(refW[i]);
                    if (Math.abs(values[i] - refW[i]) > tolerance) {
                        throw new AssertionError(at + " [" + i + "]: " + values[i] + ", the reference " + refW[i]);
                    }
                }
                assertEquals(ref.updateSquares, stats.updateSquares, 1e-4 * ref.updateSquares, at + ": sum(update^2)");
                assertEquals(ref.valueSquares, stats.valueSquares, 1e-5 * ref.valueSquares, at + ": sum(w^2) before");
            }
        }
    }

    @Test
    void rulesDescribeThemselvesAndCountStepsPerState() {
        assertEquals("sgd", UpdateRuleKind.SGD.create(0.9).describe());
        assertEquals("momentum 0.9", UpdateRuleKind.MOMENTUM.create(0.9).describe());
        assertEquals("nesterov 0.5", UpdateRuleKind.NESTEROV.create(0.5).describe());
        assertEquals("rmsprop", UpdateRuleKind.RMSPROP.create(0.9).describe());
        assertEquals("adam", UpdateRuleKind.ADAM.create(0.9).describe());
        assertEquals("adamw", UpdateRuleKind.ADAMW.create(0.9).describe());
        Param p = param(new double[] {1, 2}, new double[] {0.5, 0.5});
        Param.Slots slots = p.newSlots(1);
        assertEquals(0, slots.steps());
        p.step(slots, 0.1, 0, true, (w, dw, lr, a, b, i) -> -lr * dw, new Param.StepStats());
        p.step(slots, 0.1, 0, true, (w, dw, lr, a, b, i) -> -lr * dw, new Param.StepStats());
        assertEquals(2, slots.steps());
        assertEquals(0.9, p.value().get(0), 1e-8, "updates in float, added to the double value");
    }

    @Test
    void theReferenceIsTheFormulas() {
        // one entry, two steps, by hand: guards the reference itself
        double[] w = {1};
        ReferenceRule momentum = new ReferenceRule(UpdateRuleKind.MOMENTUM, 0.9);
        momentum.step("w", w, new double[] {2}, 0.1, 0); // v = -0.2
        momentum.step("w", w, new double[] {2}, 0.1, 0); // v = -0.18 - 0.2 = -0.38
        assertEquals(1 - 0.2 - 0.38, w[0], 1e-15);
        double[] n = {1};
        ReferenceRule nesterov = new ReferenceRule(UpdateRuleKind.NESTEROV, 0.9);
        nesterov.step("w", n, new double[] {2}, 0.1, 0); // v = -0.2; w += 1.9 * -0.2
        assertEquals(1 - 0.38, n[0], 1e-15);
        double[] a = {1};
        ReferenceRule adamW = new ReferenceRule(UpdateRuleKind.ADAMW, 0);
        adamW.step("w", a, new double[] {3}, 0.01, 0.5); // first step of adam: lr * sign(g), up to eps; decay lr * 0.5 * w
        assertEquals(1 - 0.01 - 0.005, a[0], 1e-9);
        assertEquals(0.015 * 0.015, adamW.updateSquares, 1e-12);
        assertEquals(1, adamW.valueSquares);
    }

    @Test
    void ratioIsNanForAllZeroWeights() {
        Param p = param(new double[] {0, 0}, new double[] {1, 1});
        assertEquals(Double.NaN, new Sgd().apply(p, 0.1));
    }
}
