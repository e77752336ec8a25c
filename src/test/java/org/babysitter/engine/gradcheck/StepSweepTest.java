package org.babysitter.engine.gradcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.babysitter.engine.linalg.EjmlGemm;
import org.babysitter.engine.model.Activation;
import org.babysitter.engine.model.Net;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.model.WeightInit;
import org.babysitter.engine.model.loss.LossKind;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** The lecture's lesson on h, on a smooth net (tanh: no kinks): truncation slopes 1, 2, 4, then round-off. */
class StepSweepTest {
    @Test
    void errorsFallWithTheirOrderUntilRoundOffAndTheCentredBeatsTheOneSided() {
        NetConfig c = new NetConfig(6, List.of(5), 3, Activation.TANH, false, 0, WeightInit.gaussian(0.5), LossKind.SOFTMAX);
        Net net = c.build(new EjmlGemm(false), 3);
        DMatrixRMaj x = new DMatrixRMaj(4, 6);
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = r.nextGaussian();
        }
        List<StepSweep> sweeps = StepSweep.run(net, x, new int[] {0, 1, 2, 1}, 0, List.of(1e-1, 1e-2, 1e-3, 1e-9), 10, 2);
        assertEquals(List.of("W1", "b1", "W2", "b2"), sweeps.stream().map(StepSweep::tensor).toList());
        StepSweep w1 = sweeps.get(0);
        assertEquals(4, w1.rows().size());
        StepSweep.Row a = w1.rows().get(0);
        StepSweep.Row b = w1.rows().get(1);
        // a tenth of the step: the 1-sided error a tenth, the centred a hundredth (within a factor 2)
        assertEquals(1, Math.log10(a.oneSided() / b.oneSided()), 0.3, w1.lines().toString());
        assertEquals(2, Math.log10(a.centred() / b.centred()), 0.3, w1.lines().toString());
        assertTrue(b.fourSided() < b.centred() && b.centred() < b.oneSided(), w1.lines().toString());
        StepSweep.Row tiny = w1.rows().get(3);
        assertTrue(tiny.centred() > w1.rows().get(2).centred(), "round-off: at 1e-9 worse than at 1e-3 " + w1.lines());
        assertTrue(w1.lines().get(0).startsWith("W1") && w1.lines().get(1).contains("0.1"), w1.lines().toString());
    }
}
