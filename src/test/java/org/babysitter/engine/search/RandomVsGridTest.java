package org.babysitter.engine.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.babysitter.engine.runs.DataIdentity;
import org.junit.jupiter.api.Test;

/** The same budget for both strategies; the grid tries k learning rates, random search n. */
class RandomVsGridTest {
    private static final DataIdentity DATA = new DataIdentity("test", "sha256:" + "0".repeat(64));

    @Test
    void bothRunTheBudgetTheGridTriesKValuesOfLrRandomN() {
        SearchSpec base = SearchSpec.lectureCoarse(30, 2, 500, 7);
        for (int k : new int[] {2, 3, 4}) {
            RandomVsGrid.Specs s = RandomVsGrid.specs(base, k * k);
            List<Trial> grid = s.grid().trials(3072, 10, DATA);
            List<Trial> random = s.random().trials(3072, 10, DATA);
            assertEquals(k * k, grid.size());
            assertEquals(k * k, random.size());
            assertEquals(k, RandomVsGrid.distinctPlanned(grid, Hyper.LR));
            assertEquals(k, RandomVsGrid.distinctPlanned(grid, Hyper.REG));
            assertEquals(k * k, RandomVsGrid.distinctPlanned(random, Hyper.LR));
            assertEquals(k * k, RandomVsGrid.distinctPlanned(random, Hyper.REG));
            assertEquals(2, s.grid().epochs());
            assertEquals(500, s.random().subset());
            assertEquals(7, s.random().seed());
            assertEquals(base.range(Hyper.LR), s.grid().range(Hyper.LR));
        }
    }

    @Test
    void theConclusionNamesTheWinnerAndTheCounts() {
        RandomVsGrid.Specs s = RandomVsGrid.specs(SearchSpec.lectureCoarse(9, 1, 100, 0), 9);
        List<TrialResult> grid = s.grid().trials(3072, 10, DATA).stream()
                .map(t -> new TrialResult(t, TrialState.DONE, null, List.of(0.2 + t.index() * 0.01), 1)).toList();
        List<TrialResult> random = s.random().trials(3072, 10, DATA).stream()
                .map(t -> new TrialResult(t, TrialState.DONE, null, List.of(0.3 + t.index() * 0.01), 1)).toList();
        RandomVsGrid.Outcome o = new RandomVsGrid.Outcome(grid, random);
        assertEquals(0.38, o.bestRandom(), 1e-9);
        assertEquals("Random search found the better val acc (0.380 vs 0.280); random tried 9 distinct lr values, the grid 3.",
                o.conclusion());
    }

    @Test
    void aBudgetThatIsNoSquareIsRefused() {
        SearchSpec base = SearchSpec.lectureCoarse(9, 1, 100, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RandomVsGrid.specs(base, 10));
        assertTrue(e.getMessage().contains("square"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RandomVsGrid.specs(base, 1));
    }
}
