package org.babysitter.engine.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.babysitter.engine.metrics.EpochMetrics;
import org.babysitter.engine.metrics.IterationMetrics;
import org.babysitter.engine.metrics.LayerStatistics;
import org.babysitter.engine.metrics.RunEvent;
import org.junit.jupiter.api.Test;

/** Each rule on a synthetic stream of metrics: it fires where the stream crosses its threshold, and not before. */
class NarratorTest {
    private final List<Finding> said = new ArrayList<>();
    private final Narrator narrator = new Narrator(said::add);

    private void start(int total, int batch, double reg) {
        narrator.onEvent(new RunEvent.Started(0, "3072-50-10", "momentum 0.9", List.of("W1", "W2"), total / 10, total, 10,
                batch, "sampled", 1e-4, reg, 1000, 100, 10, Math.log(10), "ln(10) = 2.303", 0, "test"));
    }

    private void iteration(int t, double loss, double regLoss, double r1, double r2) {
        narrator.onIteration(new IterationMetrics(t, t / 100.0, loss, 1e-4, 1e-3, List.of(r1, r2), t * 1000L, regLoss));
    }

    private List<Rule> warned() {
        return said.stream().filter(f -> f.severity() == Finding.Severity.WARNING).map(Finding::rule).toList();
    }

    @Test
    void aFlatLossIsTooLowALearningRateAtTheEndOfItsWindowAndTheNoteExplainsTheRisingAccuracy() {
        start(1000, 100, 1e-3);
        for (int t = 1; t <= 49; t++) {
            iteration(t, 2.3026 - 1e-6 * t, 0, 1e-3, 1e-3);
        }
        assertTrue(said.isEmpty(), said.toString());
        iteration(50, 2.3025, 0, 1e-3, 1e-3);
        assertEquals(List.of(Rule.LR_TOO_LOW), warned());
        assertEquals(50, said.get(0).iteration());
        assertEquals(Finding.Fix.RAISE_LR_10X, said.get(0).fix());
        assertTrue(said.get(0).suggestion().contains("lr 1e-3"), said.get(0).suggestion());
        narrator.onEpoch(new EpochMetrics(1, 10, 100, 2.3024, 0.17, 0.16, 1e-4, 1));
        assertEquals(Rule.FLAT_LOSS_RISING_ACCURACY, said.get(1).rule());
        assertEquals(Finding.Severity.NOTE, said.get(1).severity());
    }

    @Test
    void aForkGoingOnFromTheReportsHeardIsReadOnAsTheSameRun() {
        start(1000, 100, 1e-3);
        for (int t = 1; t <= 150; t++) {
            iteration(t, 2.3026 * Math.exp(-t / 300.0), 0, 1e-3, 1e-3);
        }
        // the fork's start, at the iteration it goes on from: the ratios heard so far are kept (the check at 200 reads
        // the last 100, half of them from before the fork)
        narrator.onEvent(new RunEvent.Started(150, "3072-50-10", "momentum 0.9", List.of("W1", "W2"), 100, 1000, 10,
                100, "sampled", 1e-4, 1e-3, 1000, 100, 10, Math.log(10), "ln(10) = 2.303", 0, "test"));
        for (int t = 151; t <= 200; t++) {
            iteration(t, 2.3026 * Math.exp(-t / 300.0), 0, 1e-3, 1e-3);
        }
        assertTrue(warned().isEmpty(), "ratios of 1e-3 throughout, not zeros after the fork: " + said);
    }

    @Test
    void aFallingLossIsNotFlat() {
        start(1000, 100, 1e-3);
        for (int t = 1; t <= 200; t++) {
            iteration(t, 2.3026 * Math.exp(-t / 300.0), 0, 1e-3, 1e-3);
        }
        assertTrue(warned().isEmpty(), said.toString());
    }

    @Test
    void aLossRisingToOneAndAHalfTimesItsLowestMeanIsTooHighALearningRate() {
        start(1000, 100, 1e-3);
        for (int t = 1; t <= 100; t++) {
            iteration(t, 2.3 - 0.01 * t, 0, 1e-3, 1e-3); // down to 1.3
        }
        assertTrue(warned().isEmpty(), said.toString());
        for (int t = 101; t <= 140; t++) {
            iteration(t, 2.2, 0, 1e-3, 1e-3); // 2.2 > 1.5 x 1.4 (the lowest 20-mean)
        }
        assertEquals(List.of(Rule.LR_TOO_HIGH), warned());
        assertEquals(Finding.Fix.LOWER_LR_10X, said.get(0).fix());
    }

    @Test
    void eachRewindAtABreakIsAWarningWithItsResumeButtonAndTheIterationItWentBackTo() {
        start(1000, 100, 1e-3);
        iteration(1, 2.3, 0, 1e-3, 1e-3);
        iteration(2, 9.0, 0, 1e-3, 1e-3);
        narrator.onEvent(new RunEvent.Rewound(2, 9.0, RunEvent.Cause.LEARNING_RATE, "loss 9 exceeded 3 times", 0, 2.3, 1e-2, 1e-3));
        iteration(3, 2.3, 0, 1e-3, 1e-3);
        iteration(4, 8.0, 0, 1e-3, 1e-3);
        narrator.onEvent(new RunEvent.Rewound(4, 8.0, RunEvent.Cause.REG, "loss 8 exceeded 3 times", 2, 2.3, 1e-3, 1e3));
        assertEquals(List.of(Rule.LR_TOO_HIGH, Rule.REG_DOMINATES), warned(), "a second break is said too: " + said);
        Finding lr = said.get(0);
        assertEquals(Finding.Fix.LOWER_LR_10X_RESUME, lr.fix());
        assertEquals(2, lr.iteration());
        assertTrue(lr.suggestion().contains("lr 1e-3") && lr.suggestion().contains("back at iteration 0"), lr.suggestion());
        Finding reg = said.get(1);
        assertEquals(Finding.Fix.LOWER_REG_10X_RESUME, reg.fix());
        assertTrue(reg.suggestion().contains("reg 100") && reg.suggestion().contains("back at iteration 2"), reg.suggestion());
        assertTrue(reg.fix().resumes() && !Finding.Fix.LOWER_LR_10X.resumes());
    }

    @Test
    void aDivergedRunIsTooHighALearningRateOnce() {
        start(1000, 100, 1e-3);
        iteration(1, 2.3, 0, 1e-3, 1e-3);
        iteration(2, Double.NaN, 0, Double.NaN, Double.NaN);
        narrator.onEvent(new RunEvent.Diverged(2, Double.NaN, RunEvent.Diverged.Cause.LEARNING_RATE, "loss NaN", Double.NaN, 0));
        assertEquals(List.of(Rule.LR_TOO_HIGH), warned());
        assertEquals(2, said.get(0).iteration());
    }

    @Test
    void aLargeFirstL2TermThatPullsTheWeightsToZeroIsRegDominatingAndTheFirstLossIsReadAgainstChance() {
        start(1000, 100, 1e3);
        iteration(1, 3.07, 0.77, 1e-3, 1e-3); // data 2.30, L2 25%: the lecture's reg 1e3
        for (int t = 2; t < 50; t++) {
            iteration(t, 2.3026, 1e-3, 0.3, 0.3); // the weights pulled to 0, the data loss at chance
        }
        assertTrue(warned().isEmpty(), said.toString());
        iteration(50, 2.3026, 1e-3, 0.3, 0.3);
        assertEquals(List.of(Rule.REG_DOMINATES), warned());
        assertEquals(50, said.get(0).iteration());
        said.clear();
        Narrator other = new Narrator(said::add);
        other.onEvent(new RunEvent.Started(0, "n", "sgd", List.of("W1"), 10, 100, 10, 100, "sampled", 1e-4, 0, 1000, 100, 10,
                Math.log(10), "ln(10) = 2.303", 0, "t"));
        other.onIteration(new IterationMetrics(1, 0.1, 2.9, 1e-4, 0, List.of(1e-3), 1, 0)); // 26% above: a note
        other.onIteration(new IterationMetrics(1, 0.1, 2.9, 1e-4, 0, List.of(1e-3), 1, 0));
        assertEquals(1, said.size());
        assertEquals(Rule.INITIAL_LOSS, said.get(0).rule());
        assertEquals(Finding.Severity.NOTE, said.get(0).severity());
    }

    @Test
    void anUpdateRatioADecadeOutsideTheBandWarnsAndNamesTheLayerAndItsSide() {
        start(500, 100, 1e-3);
        for (int t = 1; t <= 150; t++) {
            iteration(t, 2.3 * Math.exp(-t / 100.0), 0, 2e-3, 2e-1);
        }
        assertEquals(List.of(Rule.UPDATE_RATIO), warned());
        Finding f = said.get(0);
        assertEquals("W2", f.subject());
        assertEquals(100, f.iteration()); // after the grace (20% of 500, at least 100)
        assertTrue(f.suggestion().contains("large"), f.suggestion());
    }

    @Test
    void aBigGapIsOverfittingAndALowPlateauWithNoGapIsUnderCapacity() {
        start(1000, 100, 1e-3);
        narrator.onEpoch(new EpochMetrics(1, 10, 100, 1, 0.45, 0.30, 1e-4, 1));
        assertTrue(said.isEmpty());
        narrator.onEpoch(new EpochMetrics(2, 10, 200, 1, 0.55, 0.34, 1e-4, 1));
        assertEquals(List.of(Rule.OVERFITTING), warned());
        said.clear();
        Narrator other = new Narrator(said::add);
        other.onEvent(new RunEvent.Started(0, "n", "sgd", List.of("W1"), 10, 100, 10, 100, "sampled", 1e-4, 1e-3, 1000, 100, 10,
                Math.log(10), "ln(10) = 2.303", 0, "t"));
        double[] train = {0.20, 0.24, 0.25, 0.26};
        for (int e = 1; e <= 4; e++) {
            other.onEpoch(new EpochMetrics(e, 10, e * 10, 2, train[e - 1], train[e - 1] - 0.01, 1e-4, 1));
        }
        assertEquals(List.of(Rule.UNDER_CAPACITY), said.stream().map(Finding::rule).toList());
        assertEquals(40, said.get(0).iteration());
    }

    @Test
    void layerStatisticsNameSaturationCollapseDeadUnitsAndAnUncentredInput() {
        start(1000, 100, 1e-3);
        narrator.onLayerStatistics(new LayerStatistics(1, List.of(
                new LayerStatistics.Output("0 input", 3072, 112, 58, 0, 0),
                new LayerStatistics.Output("1 affine 3072 -> 200", 200, 0, 30, 0, 0),
                new LayerStatistics.Output("2 tanh", 200, 0, 0.99, 0, 0.95),
                new LayerStatistics.Output("4 tanh", 200, 0, 0.1, 0, 0),
                new LayerStatistics.Output("6 tanh", 200, 0, 0.01, 0, 0),
                new LayerStatistics.Output("8 relu", 200, 0.01, 0.02, 0.6, 0)),
                List.of(new LayerStatistics.Gradient("W1", 1e-9, 1e-2), new LayerStatistics.Gradient("W5", 1e-3, 1e-2))));
        assertEquals(List.of(Rule.NOT_CENTRED, Rule.SATURATION, Rule.DEAD_RELU, Rule.ACTIVATIONS_COLLAPSE,
                Rule.VANISHING_GRADIENT), warned());
        assertEquals("layer 2 tanh", said.get(1).subject());
        assertEquals("layer 8 relu", said.get(2).subject());
    }

    @Test
    void aHiddenLayerNarrowerThanTheClassesIsUnderCapacityAtTheFirstSample() {
        start(1000, 100, 1e-3);
        narrator.onLayerStatistics(new LayerStatistics(1, List.of(new LayerStatistics.Output("1 affine 3072 -> 10", 10, 0, 1, 0, 0),
                new LayerStatistics.Output("2 relu", 10, 0.5, 1, 0, 0)), List.of()));
        assertTrue(said.isEmpty(), "as many units as classes: " + said);
        Narrator narrow = new Narrator(said::add);
        narrow.onEvent(new RunEvent.Started(0, "3072-3-10", "momentum 0.9", List.of("W1", "W2"), 100, 1000, 10,
                100, "sampled", 1e-4, 1e-3, 1000, 100, 10, Math.log(10), "ln(10) = 2.303", 0, "test"));
        narrow.onLayerStatistics(new LayerStatistics(1, List.of(new LayerStatistics.Output("1 affine 3072 -> 3", 3, 0, 1, 0, 0),
                new LayerStatistics.Output("2 relu", 3, 0.5, 1, 0, 0)), List.of()));
        assertEquals(List.of(Rule.UNDER_CAPACITY), warned());
        assertEquals(1, said.get(0).iteration());
        assertEquals("a hidden layer of 3 units for 10 classes", said.get(0).measured());
    }

    @Test
    void aRuleFiresOncePerSubject() {
        start(1000, 100, 1e-3);
        for (int i = 0; i < 3; i++) {
            narrator.onLayerStatistics(new LayerStatistics(1 + i, List.of(new LayerStatistics.Output("2 tanh", 10, 0, 1, 0, 0.9),
                    new LayerStatistics.Output("4 tanh", 10, 0, 1, 0, 0.9)), List.of()));
        }
        assertEquals(List.of(Rule.SATURATION, Rule.SATURATION), warned());
        assertEquals(2, narrator.findings().size());
    }

    @Test
    void aSmallBatchsNoisyLossIsNamedWithItsBatch() {
        start(10_000, 4, 1e-3);
        for (int t = 1; t <= 60; t++) {
            iteration(t, t % 2 == 0 ? 0.5 : 2.0, 0, 1e-3, 1e-3);
        }
        assertTrue(warned().contains(Rule.NOISY_LOSS), said.toString());
        Finding f = said.stream().filter(x -> x.rule() == Rule.NOISY_LOSS).findFirst().orElseThrow();
        assertTrue(f.suggestion().contains("batch of 4"), f.suggestion());
        assertEquals(20, f.iteration());
    }
}
