package org.babysitter.engine.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import org.babysitter.engine.data.BuiltInData;
import org.babysitter.engine.data.Progress;
import org.babysitter.engine.data.SplitSpec;
import org.babysitter.engine.linalg.EjmlGemm;
import org.babysitter.engine.model.NetConfig;
import org.babysitter.engine.model.WeightInit;
import org.babysitter.engine.preprocess.PreparedData;
import org.babysitter.engine.preprocess.Preprocessing;
import org.babysitter.engine.train.TrainConfig;
import org.junit.jupiter.api.Test;

/** The four steps on built-in data with the lecture's net (3072-50-10, std 1e-4), the sweep kept short. */
class SanityWizardTest {
    private static final PreparedData DATA = PreparedData.prepare(BuiltInData.generate(2000, 0, 3), SplitSpec.LECTURE,
            Preprocessing.MEAN_IMAGE);
    private static final SanityWizard.Options SHORT = SanityWizard.Options.lecture(TrainConfig.defaults())
            .withSweep(LearningRateSweep.decades(1e-7, 1), 30);

    private static SanityWizard.Report run(NetConfig net, SanityWizard.Options o, List<SanityWizard.Step> heard) {
        return SanityWizard.run(net, DATA, new EjmlGemm(true), o, Progress.NONE, heard::add);
    }

    @Test
    void theLecturesNetPassesAllFourStepsReportedInOrderAsEachFinishes() {
        List<SanityWizard.Step> heard = new ArrayList<>();
        SanityWizard.Report r = run(NetConfig.lecture(), SHORT, heard);
        assertEquals(r.steps(), heard, "each step handed over as it finished, the same as in the report");
        assertEquals(List.of(1, 2, 3, 4), heard.stream().map(SanityWizard.Step::number).toList());
        assertTrue(r.passed(), String.join("\n", r.lines()));

        var initial = assertInstanceOf(SanityWizard.Measured.InitialLoss.class, heard.get(0).measured());
        assertEquals(Math.log(10), initial.chance(), 1e-12);
        assertEquals(2.302585, initial.loss(), 0.01);
        assertTrue(heard.get(0).reason().startsWith("loss 2.30"), heard.get(0).reason());

        // 0.5 * 1e3 * (3072*50 + 50*10) * (1e-4)^2 = 0.77 on top of ln(10): the lecture's ~3.07
        var reg = assertInstanceOf(SanityWizard.Measured.RegRaises.class, heard.get(1).measured());
        assertEquals(initial.loss(), reg.lossWithoutReg());
        assertEquals(3.07, reg.lossWithReg(), 0.02);
        assertTrue(heard.get(1).reason().matches("loss 3\\.0\\d+ with reg 1000 > 2\\.30\\d+ with reg 0"), heard.get(1).reason());

        var overfit = assertInstanceOf(SanityWizard.Measured.Overfit.class, heard.get(2).measured());
        assertEquals(200, overfit.losses().size(), "one loss per epoch: the curve the window draws");
        assertEquals(1.0, overfit.trainAccuracy());
        assertEquals(Math.log(10), overfit.losses().get(0), 0.01);
        assertTrue(overfit.losses().get(199) < 0.05, "the loss goes to ~0: " + overfit.losses().get(199));
        assertEquals(20, overfit.images());

        var sweep = assertInstanceOf(SanityWizard.Measured.Sweep.class, heard.get(3).measured()).result();
        assertEquals(8, sweep.points().size());
        assertTrue(Double.isFinite(sweep.suggested()) && sweep.suggested() >= 1e-5 && sweep.suggested() <= 1e-2,
                sweep.suggestion());
        assertEquals(LearningRateSweep.Verdict.TOO_LOW, sweep.points().get(0).verdict());
        assertEquals(LearningRateSweep.Verdict.TOO_HIGH, sweep.points().get(7).verdict());
        assertTrue(heard.get(3).reason().matches("suggested lr 1e-\\d; too low 1e-7 \\.\\. 1e-\\d, good .*, too high .* \\.\\. 1"),
                heard.get(3).reason());

        List<String> text = r.lines();
        assertEquals("Sanity checks, step by step", text.get(0));
        assertTrue(text.get(1).startsWith("Net: 3072-50-10"), text.get(1));
        assertTrue(text.get(2).startsWith("Data: built-in"), text.get(2));
        assertTrue(text.contains("1. Initial loss: PASS"), text.toString());
        assertTrue(text.contains("4. Learning-rate sweep: PASS"), text.toString());
        assertTrue(text.stream().anyMatch(l -> l.startsWith("   Loss by epoch: 1: 2.30")), text.toString());
        assertEquals("All 4 steps passed.", text.get(text.size() - 1));
    }

    @Test
    void theSameSeedGivesTheSameSteps() {
        SanityWizard.Options o = SHORT.withOverfit(20, 1e-3, 30).withSweep(List.of(1e-6, 1e-3), 20);
        assertEquals(run(NetConfig.lecture(), o, new ArrayList<>()).lines(), run(NetConfig.lecture(), o, new ArrayList<>()).lines());
    }

    @Test
    void aBrokenInitFailsTheFirstStepAndSaysWhy() {
        // std 1e-2 instead of 1e-4: the scores are far from 0, so the first loss is far from ln(10)
        NetConfig broken = NetConfig.lecture().withInit(WeightInit.gaussian(1e-2));
        SanityWizard.Report r = run(broken, SHORT.withOverfit(20, 1e-3, 5).withoutSweep(), new ArrayList<>());
        assertEquals(3, r.steps().size(), "without the sweep: three steps");
        SanityWizard.Step first = r.steps().get(0);
        assertFalse(first.pass(), first.reason());
        var initial = (SanityWizard.Measured.InitialLoss) first.measured();
        assertTrue(initial.loss() > Math.log(10) + 1, "far from ln(10): " + initial.loss());
        assertTrue(first.reason().endsWith("look at the weight init (its std) and the loss"), first.reason());
        assertFalse(r.passed());
        // big weights still memorize 20 images: only the first step fails
        assertEquals("1 of 3 steps failed: step 1.", r.summary());
        assertTrue(r.lines().contains("1. Initial loss: FAIL"), r.lines().toString());
    }

    @Test
    void anOverfitThatDivergesFailsStepThreeAndSaysSo() {
        SanityWizard.Report r = run(NetConfig.lecture(), SHORT.withOverfit(20, 100, 20).withoutSweep(), new ArrayList<>());
        SanityWizard.Step third = r.steps().get(2);
        var overfit = (SanityWizard.Measured.Overfit) third.measured();
        assertFalse(third.pass(), third.reason());
        assertTrue(overfit.diverged(), third.reason());
        assertTrue(third.reason().contains(", diverged: the net cannot fit"), third.reason());
        assertTrue(overfit.losses().size() < 20, "stopped where it diverged: " + overfit.losses());
    }

    @Test
    void cancellingStopsTheWizardBetweenStepsAndInsideTheOverfit() {
        List<SanityWizard.Step> heard = new ArrayList<>();
        Progress cancelAfterTwo = new Progress() {
            @Override
            public void update(double fraction, String what) {
            }

            @Override
            public boolean isCancelled() {
                return heard.size() >= 2;
            }
        };
        assertThrows(CancellationException.class, () -> SanityWizard.run(NetConfig.lecture(), DATA, new EjmlGemm(true),
                SHORT, cancelAfterTwo, heard::add));
        assertEquals(2, heard.size(), "nothing after the cancel");

        List<String> epochs = new ArrayList<>();
        Progress cancelInOverfit = new Progress() {
            @Override
            public void update(double fraction, String what) {
                if (what.contains("overfit epoch")) {
                    epochs.add(what);
                }
            }

            @Override
            public boolean isCancelled() {
                return !epochs.isEmpty();
            }
        };
        List<SanityWizard.Step> more = new ArrayList<>();
        assertThrows(CancellationException.class, () -> SanityWizard.run(NetConfig.lecture(), DATA, new EjmlGemm(true),
                SHORT, cancelInOverfit, more::add));
        assertEquals(2, more.size());
        assertEquals(1, epochs.size(), "the overfit stopped at its first report: " + epochs);
    }

    @Test
    void optionsAndStepsAreChecked() {
        TrainConfig t = TrainConfig.defaults();
        assertThrows(IllegalArgumentException.class, () -> new SanityWizard.Options(t, 0, 20, 1e-3, 200, List.of(), 0));
        assertThrows(IllegalArgumentException.class, () -> new SanityWizard.Options(t, 1e3, 20, 1e-3, 200, List.of(1e-3), 19));
        assertEquals(3, SanityWizard.Options.lecture(t).withoutSweep().steps());
        var plan = SanityWizard.plan(NetConfig.lecture(), SanityWizard.Options.lecture(t));
        assertEquals(4, plan.size());
        assertEquals("with reg 0 and small weights the first loss is the chance loss, ln(10) = 2.303 (within 0.01)",
                plan.get(0).expectation());
        assertThrows(IllegalArgumentException.class, () -> new SanityWizard.Step(plan.get(0), true, "two\nlines",
                new SanityWizard.Measured.InitialLoss(2.3, 2.3, 0.01, 1)));
    }
}
