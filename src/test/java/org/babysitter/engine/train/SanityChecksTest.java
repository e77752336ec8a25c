package org.babysitter.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.babysitter.engine.data.BuiltInData;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.linalg.EjmlGemm;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.preprocess.Preprocessing;
import org.junit.jupiter.api.Test;

/** The lecture's sanity checks on built-in data with the lecture's net (3072-50-10, std 1e-4). */
class SanityChecksTest {
    private final PreparedData data = PreparedData.prepare(BuiltInData.generate(2000, 0, 3), SplitSpec.LECTURE,
            Preprocessing.MEAN_IMAGE);

    @Test
    void initialLossIsLnTenAndRegRaisesItToAbout307() {
        List<SanityChecks.Result> r = SanityChecks.initialLoss(NetConfig.lecture(), data, new EjmlGemm(true), 0, 1e3);
        assertTrue(r.get(0).pass(), r.get(0).line());
        assertEquals(Math.log(10), r.get(0).value(), 0.01);
        String difference = String.format(java.util.Locale.ROOT, "difference %.4f", Math.abs(r.get(0).value() - Math.log(10)));
        assertTrue(r.get(0).line().startsWith("initial loss   PASS  loss "), r.get(0).line());
        assertTrue(r.get(0).line().contains(difference), r.get(0).line() + " should say " + difference);
        assertTrue(r.get(1).line().contains(" > "), r.get(1).line());
        assertTrue(r.get(1).pass(), r.get(1).line());
        // 0.5 * 1e3 * (3072*50 + 50*10) * (1e-4)^2 = 0.77 on top of ln(10): the lecture's ~3.07
        assertEquals(3.07, r.get(1).value(), 0.02);
    }

    @Test
    void twentyImagesCanBeOverfitted() {
        SanityChecks.Result r = SanityChecks.overfit(NetConfig.lecture(), data.dataset(), data, new EjmlGemm(true), 20, 1e-3,
                200, 0, null);
        assertTrue(r.pass(), r.line());
        assertEquals(1.0, r.value());
    }

    @Test
    void aNetThatCannotLearnFailsTheOverfitCheck() {
        // lr 1e-9 cannot move a 1e-4 init net in 20 epochs: the check must say FAIL
        SanityChecks.Result r = SanityChecks.overfit(NetConfig.lecture(), data.dataset(), data, new EjmlGemm(true), 20, 1e-9,
                20, 0, null);
        assertTrue(!r.pass(), r.line());
        assertTrue(r.line().contains("FAIL"));
    }
}
