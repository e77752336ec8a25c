package org.babysitter.engine.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The pruners' decisions on synthetic learning curves, and coarse -> fine on synthetic results. */
class PrunerTest {
    @Test
    void medianRuleStopsATrialBelowTheMedianOfTheOthersAtTheSameEpoch() {
        Pruner p = Pruner.median(4, 1);
        double[] firstEpoch = {0.30, 0.34, 0.38, 0.40};
        for (int t = 0; t < 4; t++) {
            assertNull(p.report(t, 1, 5, firstEpoch[t]), "too few others to compare yet, or above their median");
        }
        assertEquals("epoch 1: val 0.210 below the median 0.360 of 4 trials", p.report(4, 1, 5, 0.21));
        assertNull(p.report(5, 1, 5, 0.37), "above the median 0.34 of 5");
        assertNull(p.report(6, 5, 5, 0.01), "never after the last epoch: the trial has finished");
    }

    @Test
    void medianRuleWaitsForItsFirstEpoch() {
        Pruner p = Pruner.median(1, 2);
        assertNull(p.report(0, 1, 3, 0.5));
        assertNull(p.report(1, 1, 3, 0.1), "epoch 1 is before the rule's first epoch");
        assertNull(p.report(0, 2, 3, 0.5));
        assertTrue(p.report(1, 2, 3, 0.2).startsWith("epoch 2: val 0.200 below the median 0.500"));
    }

    @Test
    void halvingKeepsTheTopThirdAtEachRung() {
        Pruner.Halving p = (Pruner.Halving) Pruner.halving(1, 3);
        assertTrue(p.isRung(1) && p.isRung(3) && p.isRung(9));
        assertFalse(p.isRung(2) || p.isRung(4) || p.isRung(8));
        // with fewer than 3 at a rung the best goes on; the first is always the best so far
        assertNull(p.report(0, 1, 9, 0.30));
        assertEquals("epoch 1: val 0.200 not in the top 1/3 at this rung (1 of 2 trials there reach 0.300)", p.report(1, 1, 9, 0.20));
        assertNull(p.report(2, 1, 9, 0.40));
        // with 4 and 5 at rung 1 only the best (0.40) goes on; with 6 the top 2 (0.40 and 0.38); with 7 still 2
        assertTrue(p.report(3, 1, 9, 0.10).startsWith("epoch 1: val 0.100 not in the top 1/3 at this rung (1 of 4 trials there reach 0.400)"));
        assertTrue(p.report(4, 1, 9, 0.35).contains("(1 of 5 trials there reach 0.400)"));
        assertNull(p.report(5, 1, 9, 0.38));
        assertTrue(p.report(6, 1, 9, 0.32).contains("(2 of 7 trials there reach 0.380)"));
        assertNull(p.report(2, 2, 9, 0.05), "epoch 2 is no rung");
        assertNull(p.report(2, 3, 9, 0.45), "the first at rung 3");
        assertNull(p.report(4, 9, 9, 0.01), "the last epoch: finished, not pruned");
    }

    @Test
    void narrowingSpansTheTopTrialsInLogWithATenthOfTheOldSpanEachSide() {
        SearchSpec coarse = SearchSpec.lectureCoarse(4, 1, 0, 1);
        List<TrialResult> results = List.of(result(0, 1e-4, 1e-2, 0.45), result(1, 1e-5, 1e-1, 0.40),
                result(2, 1e-6, 1e4, 0.10), result(3, 5e-4, 1, 0.20));
        SearchSpec fine = Refine.narrow(coarse.withStage(30, 5, 0), results, 2);
        // lr: log10 -5..-4, padded by 0.3 (a tenth of 3 decades); reg: log10 -2..-1, padded by 1 (a tenth of 10)
        assertEquals(Dimension.log(5.01e-6, 2.0e-4), fine.range(Hyper.LR));
        assertEquals(Dimension.log(1e-3, 1), fine.range(Hyper.REG));
        assertEquals(30, fine.trials());
        assertEquals(5, fine.epochs());
        assertEquals(List.of(0, 1), Refine.top(results, 2).stream().map(r -> r.trial().index()).toList());
    }

    @Test
    void warnsWhenTheBestTrialsSitAtTheEdgeOfARange() {
        SearchSpec coarse = SearchSpec.lectureCoarse(4, 1, 0, 1);
        List<TrialResult> results = List.of(result(0, 9.5e-4, 1e-2, 0.45), result(1, 8e-4, 1e-1, 0.40),
                result(2, 1e-5, 1e-2, 0.30), result(3, 1e-6, 1, 0.20));
        List<String> w = Refine.edgeWarnings(coarse, results, 3);
        assertEquals(List.of("lr: 2 of the top 3 trials sit at the upper edge of 1e-6:1e-3:log (best 9.5e-4): widen the range"), w);
        assertEquals(List.of(), Refine.edgeWarnings(coarse, List.of(result(0, 3e-5, 1e-2, 0.45), result(1, 1e-4, 1e-1, 0.40)), 3),
                "inside both ranges");
    }

    static TrialResult result(int index, double lr, double reg, double val) {
        SearchSpec s = new SearchSpec(SearchSpec.Strategy.RANDOM, Map.of(Hyper.LR, Dimension.fixed(lr), Hyper.REG, Dimension.fixed(reg)),
                List.of(), 1, 1, 0, 1, PrunerSpec.NONE);
        Trial t = s.trials(3072, 10, SearchSpecTest.DATA).get(0);
        return new TrialResult(new Trial(index, t.net(), t.train(), t.data()), TrialState.DONE, null, List.of(val), 0);
    }
}
